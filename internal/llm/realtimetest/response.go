package realtimetest

import (
	"fmt"
	"time"
)

// response is one active response. Its events are emitted by one goroutine, step by step, each
// under the connection's lock and only while the response has not been cancelled.
type response struct {
	id        string
	stop      chan struct{}
	cancelled bool
	output    []any  // the output items so far, for response.done
	audioItem string // the item whose audio is streaming ("" when none or done)
}

// step is one event of a response, emitted after wait; apply runs under the lock just before.
type step struct {
	wait  time.Duration
	ev    obj
	apply func()
	final bool
}

// startResponse makes r the active response, sends response.created and starts its goroutine
// (mu held). The Responder runs in that goroutine, without the lock.
func (c *Conn) startResponse(transcript string, create Event) {
	c.responses++
	r := &response{id: c.h.newID("resp"), stop: make(chan struct{})}
	c.active = r
	turn := Turn{N: c.responses, Transcript: transcript, Outputs: c.outputs, Items: c.items, Create: create, Session: clone(c.session)}
	c.outputs, c.items = nil, nil
	c.send(obj{"type": "response.created", "response": c.responseObj(r, "in_progress")})
	textOnly := c.textOnly()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		respond := c.h.opts.Respond
		if respond == nil {
			respond = DefaultAnswer
		}
		c.emit(r, c.plan(r, respond(turn), textOnly))
	}()
}

func (c *Conn) responseObj(r *response, status string) obj {
	out := r.output
	if out == nil {
		out = []any{}
	}
	return obj{"id": r.id, "object": "realtime.response", "status": status, "output": out}
}

func (c *Conn) emit(r *response, steps []step) {
	for _, st := range steps {
		if !sleep(c.ctx, r.stop, st.wait) {
			return
		}
		c.mu.Lock()
		if r.cancelled {
			c.mu.Unlock()
			return
		}
		if st.apply != nil {
			st.apply()
		}
		if st.ev != nil {
			c.send(st.ev)
		}
		if st.final {
			c.active = nil
		}
		c.mu.Unlock()
	}
}

// cancelResponse ends the active response as cancelled (mu held): the goroutine stops before its
// next step, and no more of its audio is sent.
func (c *Conn) cancelResponse(reason string) {
	r := c.active
	r.cancelled = true
	close(r.stop)
	c.active = nil
	if r.audioItem != "" {
		c.send(obj{"type": "response.output_audio.done", "response_id": r.id, "item_id": r.audioItem, "output_index": 0, "content_index": 0})
	}
	done := c.responseObj(r, "cancelled")
	done["status_details"] = obj{"type": "cancelled", "reason": reason}
	c.send(obj{"type": "response.done", "response": done})
}

// plan turns an answer into the response's steps (no lock needed: it touches only r's future).
func (c *Conn) plan(r *response, a Answer, textOnly bool) []step {
	opts := c.h.opts
	chunkMs := opts.ChunkMs
	if chunkMs <= 0 {
		chunkMs = 100
	}
	chunkDelay := opts.ChunkDelay
	if a.ChunkDelay != 0 {
		chunkDelay = a.ChunkDelay
	}
	switch {
	case chunkDelay == 0:
		chunkDelay = 2 * time.Millisecond
	case chunkDelay < 0:
		chunkDelay = 0
	}
	audioMs := a.AudioMs
	if audioMs == 0 && a.Text != "" {
		audioMs = 500
	}
	if textOnly {
		audioMs = 0
	}
	var steps []step
	index := 0
	if a.Text != "" || audioMs > 0 {
		id := c.h.newID("item")
		item := obj{"id": id, "object": "realtime.item", "type": "message", "role": "assistant", "status": "in_progress", "content": []any{}}
		idx := index
		steps = append(steps,
			step{ev: obj{"type": "response.output_item.added", "response_id": r.id, "output_index": idx, "item": item}},
			step{ev: obj{"type": "conversation.item.added", "previous_item_id": nil, "item": item}, apply: func() {
				c.lastItem = id
				if audioMs > 0 {
					r.audioItem = id
					c.audio[id] = 0
				}
			}},
		)
		if textOnly {
			steps = append(steps,
				step{wait: opts.FirstAudioDelay, ev: obj{"type": "response.output_text.delta", "response_id": r.id, "item_id": id, "output_index": idx, "content_index": 0, "delta": a.Text}},
				step{ev: obj{"type": "response.output_text.done", "response_id": r.id, "item_id": id, "output_index": idx, "content_index": 0, "text": a.Text}},
			)
		} else {
			total := audioMs * samplesPerMs
			per := chunkMs * samplesPerMs
			n := (total + per - 1) / per
			words := split(a.Text, max(n, 1))
			for k := range n {
				first, last := k*per, min((k+1)*per, total)
				pcm := make([]int16, last-first)
				for i := range pcm {
					pcm[i] = SampleValue(first + i)
				}
				wait := chunkDelay
				if k == 0 {
					wait = opts.FirstAudioDelay
				}
				count := len(pcm)
				steps = append(steps, step{wait: wait,
					ev:    obj{"type": "response.output_audio.delta", "response_id": r.id, "item_id": id, "output_index": idx, "content_index": 0, "delta": PCM(pcm)},
					apply: func() { c.audio[id] += count; c.spoke = true },
				})
				if k < len(words) && words[k] != "" {
					steps = append(steps, step{ev: obj{"type": "response.output_audio_transcript.delta", "response_id": r.id, "item_id": id, "output_index": idx, "content_index": 0, "delta": words[k]}})
				}
			}
			if n == 0 && a.Text != "" {
				steps = append(steps, step{ev: obj{"type": "response.output_audio_transcript.delta", "response_id": r.id, "item_id": id, "output_index": idx, "content_index": 0, "delta": a.Text}})
			}
			steps = append(steps,
				step{ev: obj{"type": "response.output_audio.done", "response_id": r.id, "item_id": id, "output_index": idx, "content_index": 0},
					apply: func() { r.audioItem = "" }},
				step{ev: obj{"type": "response.output_audio_transcript.done", "response_id": r.id, "item_id": id, "output_index": idx, "content_index": 0, "transcript": a.Text}},
			)
		}
		contentType := "output_audio"
		if textOnly {
			contentType = "output_text"
		}
		doneItem := obj{"id": id, "object": "realtime.item", "type": "message", "role": "assistant", "status": "completed",
			"content": []any{obj{"type": contentType, "transcript": a.Text, "text": a.Text}}}
		steps = append(steps, step{ev: obj{"type": "response.output_item.done", "response_id": r.id, "output_index": idx, "item": doneItem},
			apply: func() { r.output = append(r.output, doneItem) }})
		index++
	}
	for i, call := range a.Calls {
		id := c.h.newID("item")
		callID := call.CallID
		if callID == "" {
			callID = fmt.Sprintf("call_%d", i+1)
		}
		idx := index
		item := obj{"id": id, "object": "realtime.item", "type": "function_call", "status": "in_progress", "call_id": callID, "name": call.Name, "arguments": ""}
		doneItem := obj{"id": id, "object": "realtime.item", "type": "function_call", "status": "completed", "call_id": callID, "name": call.Name, "arguments": call.Arguments}
		steps = append(steps,
			step{ev: obj{"type": "response.output_item.added", "response_id": r.id, "output_index": idx, "item": item}},
			step{ev: obj{"type": "conversation.item.added", "previous_item_id": nil, "item": item}, apply: func() { c.lastItem = id }},
			step{wait: chunkDelay, ev: obj{"type": "response.function_call_arguments.delta", "response_id": r.id, "item_id": id, "output_index": idx, "call_id": callID, "delta": call.Arguments}},
			step{ev: obj{"type": "response.function_call_arguments.done", "response_id": r.id, "item_id": id, "output_index": idx, "call_id": callID, "name": call.Name, "arguments": call.Arguments}},
			step{ev: obj{"type": "response.output_item.done", "response_id": r.id, "output_index": idx, "item": doneItem},
				apply: func() { r.output = append(r.output, doneItem) }},
		)
		index++
	}
	status := a.Status
	if status == "" {
		status = "completed"
	}
	// response.done is built when it is sent, so its output lists the items as they ended.
	final := step{final: true}
	final.apply = func() {
		c.send(obj{"type": "response.done", "response": c.responseObj(r, status)})
	}
	return append(steps, final)
}

// split cuts s into n pieces of nearly equal rune length; their concatenation is s.
func split(s string, n int) []string {
	runes := []rune(s)
	n = max(min(n, len(runes)), 1)
	parts := make([]string, 0, n)
	for i := range n {
		parts = append(parts, string(runes[i*len(runes)/n:(i+1)*len(runes)/n]))
	}
	return parts
}

package openaillm

import "github.com/openai/openai-go/v3"

// toolIndexes renumbers tool-call deltas before they reach the SDK's accumulator. Some servers
// (Ollama) send parallel calls all at index 0, each with its own id; the accumulator would merge
// them into one call with concatenated names and arguments. A delta that carries a new non-empty id
// at an index already in use starts a new call at the next free index.
type toolIndexes struct {
	slots map[int64]toolSlot // by the index the server sent
	next  int64
}

type toolSlot struct {
	index int64
	id    string
}

// remap rewrites the tool-call indices of the first choice in place.
func (x *toolIndexes) remap(chunk *openai.ChatCompletionChunk) {
	for ci := range chunk.Choices {
		if chunk.Choices[ci].Index != 0 {
			continue // we ask for one choice
		}
		calls := chunk.Choices[ci].Delta.ToolCalls
		for j := range calls {
			x.remapCall(&calls[j])
		}
	}
}

func (x *toolIndexes) remapCall(tc *openai.ChatCompletionChunkChoiceDeltaToolCall) {
	if x.slots == nil {
		x.slots = make(map[int64]toolSlot, 2)
	}
	slot, seen := x.slots[tc.Index]
	switch {
	case !seen || (tc.ID != "" && slot.id != "" && tc.ID != slot.id):
		slot = toolSlot{index: x.next, id: tc.ID}
		x.next++
	case slot.id == "":
		slot.id = tc.ID
	}
	x.slots[tc.Index] = slot
	tc.Index = slot.index
}

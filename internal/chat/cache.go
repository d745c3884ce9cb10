package chat

import (
	"container/list"
	"strings"
	"sync"
	"time"
	"unicode"
)

// cachedTurn is what a completed turn showed: its text and dashboard results.
type cachedTurn struct {
	text    string
	results []ToolResult
}

// responseCache replays a recent answer to the same question in the same session and mode without
// an LLM call. The key holds the session and mode, and the persona is a function of both, so no
// session ever sees another's numbers. Bounded: the least recently used entry goes first.
type responseCache struct {
	ttl   time.Duration
	max   int
	now   func() time.Time
	mu    sync.Mutex
	order *list.List // of *cacheEntry, most recent first
	items map[string]*list.Element
}

type cacheEntry struct {
	key     string
	value   cachedTurn
	expires time.Time
}

func newResponseCache(ttl time.Duration, max int) *responseCache {
	return &responseCache{ttl: ttl, max: max, now: time.Now, order: list.New(), items: make(map[string]*list.Element)}
}

func (c *responseCache) get(key string) (cachedTurn, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return cachedTurn{}, false
	}
	e := el.Value.(*cacheEntry)
	if c.now().After(e.expires) {
		c.order.Remove(el)
		delete(c.items, key)
		return cachedTurn{}, false
	}
	c.order.MoveToFront(el)
	return e.value, true
}

func (c *responseCache) put(key string, v cachedTurn) {
	if c.max <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.order.Remove(el)
	}
	c.items[key] = c.order.PushFront(&cacheEntry{key: key, value: v, expires: c.now().Add(c.ttl)})
	for c.order.Len() > c.max {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.items, oldest.Value.(*cacheEntry).key)
	}
}

// cacheKey is session, mode and the normalised question: case, punctuation and spacing ignored.
func cacheKey(sessionID, modeID, text string) string {
	return sessionID + "\x00" + modeID + "\x00" + normalizeQuestion(text)
}

func normalizeQuestion(text string) string {
	fields := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	return strings.Join(fields, " ")
}

package chat

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"presto/internal/budget"
	"presto/internal/llm"
	"presto/internal/modegen"
	"presto/internal/modes"
	"presto/internal/store"
)

// modeNotSaved is what the user reads when the store fails a mode switch.
const modeNotSaved = "the new mode could not be saved, so nothing changed; try again"

// Catalog knows every mode: the prebuilt ones, and the generated ones in the store. It turns a
// switch_mode call into a mode, generating and storing it when it is new.
type Catalog struct {
	provider llm.Provider
	store    store.Store
	images   *ImageMaker // nil when images are off
	budget   *budget.Budget
	logger   *slog.Logger
	prebuilt []modes.Mode // built once and shared: every session in a prebuilt mode points here

	locker Locker // nil on a single replica
	// generationTimeout bounds one mode generation. It runs detached from the turn that asked for
	// it, so a cancelled turn still leaves the finished mode in the store for next time.
	generationTimeout time.Duration

	mu       sync.Mutex
	inFlight map[string]*generation // by mode id: one generation per id at a time
}

// Locker is a lock shared by every replica, so that a new mode is generated once however many
// replicas are asked for it at the same time.
type Locker interface {
	// Lock waits until it holds key, or ctx ends; unlock gives it back.
	Lock(ctx context.Context, key string) (unlock func(), err error)
}

// UseLocker makes generation take l's lock for a mode's id. Call it before serving.
func (c *Catalog) UseLocker(l Locker) { c.locker = l }

// LimitGeneration bounds one mode generation (the lock wait, the LLM call and the save) by d, the
// turn timeout. Call it before serving.
func (c *Catalog) LimitGeneration(d time.Duration) { c.generationTimeout = d }

type generation struct {
	done chan struct{}
	mode modes.Mode
	err  error
}

// NewCatalog wires a Catalog; images may be nil. b caps the new modes each client address makes
// and is charged for their generation.
func NewCatalog(provider llm.Provider, st store.Store, images *ImageMaker, b *budget.Budget, logger *slog.Logger) *Catalog {
	return &Catalog{provider: provider, store: st, images: images, budget: b, logger: logger,
		generationTimeout: DefaultLimits().TurnTimeout, prebuilt: modes.Prebuilt(), inFlight: make(map[string]*generation)}
}

// Get returns the mode with id, prebuilt or stored.
func (c *Catalog) Get(ctx context.Context, id string) (modes.Mode, error) {
	if m, ok := c.findPrebuilt(id); ok {
		return m, nil
	}
	m, err := c.store.GetMode(ctx, id)
	if err != nil {
		return modes.Mode{}, fmt.Errorf("get mode %q: %w", id, err)
	}
	return m, nil
}

// List returns the prebuilt modes, then the stored ones oldest first.
func (c *Catalog) List(ctx context.Context) ([]modes.Mode, error) {
	stored, err := c.store.ListModes(ctx)
	if err != nil {
		return nil, storeFailed("the list of modes could not be read from the database; try again", fmt.Errorf("list modes: %w", err))
	}
	return append(slices.Clip(c.prebuilt), stored...), nil
}

func (c *Catalog) findPrebuilt(id string) (modes.Mode, bool) {
	for _, m := range c.prebuilt {
		if m.ID == id {
			return m, true
		}
	}
	return modes.Mode{}, false
}

// Resolve turns switch_mode's arguments into a mode. A prebuilt alias ("bank", "my credit union")
// gives the prebuilt mode; a known generated industry gives the stored mode; anything else is
// generated and stored. A company name the user gave always wins, as a variant of the mode. A mode
// that is new to the store takes one of from's new modes of the day (a refusal is a
// *budget.Exceeded), and its generation is charged to from.
func (c *Catalog) Resolve(ctx context.Context, industry, company string, from netip.Addr) (modes.Mode, error) {
	company = strings.TrimSpace(modes.StripPresto(company))
	// Aliases first: "presto" and "home" name the home mode, before "presto" is stripped from names.
	if id, ok := modes.ResolveIndustry(industry); ok {
		m, _ := c.findPrebuilt(id)
		return c.variant(ctx, m, company, from)
	}
	industry = strings.TrimSpace(modes.StripPresto(industry))
	if industry == "" {
		industry = company
	}
	if industry == "" {
		return modes.Mode{}, &UserError{Message: "Which industry should I become? Try \"Presto-Change-O, you're a bank\"."}
	}
	id := modeID(industry)
	m, err := c.store.GetMode(ctx, id)
	switch {
	case err == nil:
		if err := c.store.TouchMode(ctx, id); err != nil {
			c.logger.Warn("record mode use", "mode", id, "err", err)
		}
		return c.variant(ctx, m, company, from)
	case !errors.Is(err, store.ErrNotFound):
		return modes.Mode{}, storeFailed(modeNotSaved, fmt.Errorf("look up mode %q: %w", id, err))
	}
	return c.generate(ctx, id, industry, company, from)
}

// variant gives m under the user's company name, stored as its own mode so that a reload or another
// replica finds it; a variant not stored yet is a new mode of from's. Without a company name, or
// with m's own, it is m.
func (c *Catalog) variant(ctx context.Context, m modes.Mode, company string, from netip.Addr) (modes.Mode, error) {
	if company == "" || strings.EqualFold(company, m.CompanyName) {
		return m, nil
	}
	v := m
	v.ID = m.ID + "-" + modeID(company)
	v.Prebuilt = false
	v.CompanyName = company
	v.WelcomeMessage = strings.ReplaceAll(m.WelcomeMessage, m.CompanyName, company)
	v.Prompt = strings.ReplaceAll(m.Prompt, m.CompanyName, company)
	switch _, err := c.store.GetMode(ctx, v.ID); {
	case errors.Is(err, store.ErrNotFound):
		if err := c.budget.NewMode(ctx, from); err != nil {
			return modes.Mode{}, err
		}
	case err != nil:
		return modes.Mode{}, storeFailed(modeNotSaved, fmt.Errorf("look up mode %q: %w", v.ID, err))
	}
	if err := c.store.SaveMode(ctx, v); err != nil { // saving it counts as a use
		return modes.Mode{}, storeFailed(modeNotSaved, fmt.Errorf("save mode %q: %w", v.ID, err))
	}
	return v, nil
}

// generate asks the LLM for a new mode once per id, however many sessions ask at the same time.
// Only the address that starts a generation is charged for it.
func (c *Catalog) generate(ctx context.Context, id, industry, company string, from netip.Addr) (modes.Mode, error) {
	c.mu.Lock()
	g, running := c.inFlight[id]
	if !running {
		// A generation may have finished (and stored its mode) since the caller looked.
		if m, err := c.store.GetMode(ctx, id); err == nil {
			c.mu.Unlock()
			return c.variant(ctx, m, company, from)
		}
		if err := c.budget.NewMode(ctx, from); err != nil {
			c.mu.Unlock()
			return modes.Mode{}, err
		}
		g = &generation{done: make(chan struct{})}
		c.inFlight[id] = g
		go c.runGeneration(context.WithoutCancel(ctx), g, id, industry, company, from)
	}
	c.mu.Unlock()

	select {
	case <-g.done:
	case <-ctx.Done():
		return modes.Mode{}, ctx.Err()
	}
	if g.err != nil {
		return modes.Mode{}, g.err
	}
	return c.variant(ctx, g.mode, company, from)
}

func (c *Catalog) runGeneration(ctx context.Context, g *generation, id, industry, company string, from netip.Addr) {
	defer func() {
		c.mu.Lock()
		delete(c.inFlight, id)
		c.mu.Unlock()
		close(g.done)
	}()
	ctx, cancel := context.WithTimeout(ctx, c.generationTimeout)
	defer cancel()

	if c.locker != nil {
		unlock, err := c.locker.Lock(ctx, "mode:"+id)
		if err != nil {
			g.err = fmt.Errorf("lock mode %q: %w", id, err)
			return
		}
		defer unlock()
		// Another replica may have made it while this one waited.
		if m, err := c.store.GetMode(ctx, id); err == nil {
			g.mode = m
			return
		}
	}

	started := time.Now()
	m, err := modegen.Generate(ctx, c.budget.Provider(c.provider, from), industry, company)
	if err != nil {
		if errors.As(err, new(*budget.Exceeded)) {
			g.err = err
			return
		}
		g.err = &UserError{
			Message:   fmt.Sprintf("I couldn't create a %s mode just now, so I stayed as I am. Try again, or pick another industry.", industry),
			Retryable: true,
			Err:       err,
		}
		return
	}
	m.ID = id // so the next request for this industry finds it
	if err := c.store.SaveMode(ctx, m); err != nil {
		g.err = storeFailed(modeNotSaved, fmt.Errorf("save generated mode %q: %w", id, err))
		return
	}
	c.logger.Info("mode generated", "mode", id, "company", m.CompanyName, "took", time.Since(started).Round(time.Millisecond))
	g.mode = m
	if c.images != nil {
		c.images.Start(m)
	}
}

// modeID is the id a generated mode is stored under: the slug of its name, or a short hash of a
// name a slug keeps nothing of ("银行").
func modeID(name string) string {
	if id := modes.Slug(name); id != "" {
		return id
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	return fmt.Sprintf("mode-%08x", h.Sum32())
}

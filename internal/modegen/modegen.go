// Package modegen invents a mode for any industry: one structured-output call asks the model for
// a mode_config (PRODUCT.md 5.7), which is validated and turned into a modes.Mode with a derived
// palette, a presto-free company name and the shared answering rules.
package modegen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"presto/internal/llm"
	"presto/internal/modes"
)

// maxIndustryLen bounds what is sent to the model and echoed in error messages.
const maxIndustryLen = 80

// Generate asks p for a mode for industry and builds it. companyName, when the user gave one,
// becomes the company's name whatever the model answers. The request's user text starts with
// exactly two lines, "Industry: <industry>" and "Company name: <name or empty>", which the offline
// provider parses; the instructions follow.
//
// Every failure is an *Error whose message is safe to show to the user; the detail (provider
// error, validation problems) is in its wrapped error for logs.
func Generate(ctx context.Context, p llm.Provider, industry, companyName string) (modes.Mode, error) {
	industry = oneLine(industry)
	companyName = oneLine(companyName)
	if industry == "" {
		return modes.Mode{}, &Error{Industry: industry, Reason: "no industry was given", Err: errors.New("empty industry")}
	}
	raw, err := p.Structured(ctx, llm.StructuredRequest{
		System:      systemPrompt,
		User:        userPrompt(industry, companyName),
		SchemaName:  modes.ConfigSchemaName,
		Schema:      modes.ConfigSchema(),
		Industry:    industry,
		CompanyName: companyName,
	})
	if err != nil {
		return modes.Mode{}, &Error{Industry: industry, Reason: llm.AsError(err).Message, Err: fmt.Errorf("structured call: %w", err)}
	}
	var cfg modes.Config
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return modes.Mode{}, &Error{Industry: industry, Reason: invalidAnswer, Err: fmt.Errorf("decode mode config: %w", err)}
	}
	m, err := cfg.Mode(companyName)
	if err != nil {
		return modes.Mode{}, &Error{Industry: industry, Reason: invalidAnswer, Err: err}
	}
	return m, nil
}

// invalidAnswer is the user-facing reason for an answer that is not a usable mode_config.
const invalidAnswer = "the model's answer was not valid"

// Error is a failed generation. Its message names the industry and a reason fit for the user;
// Unwrap gives the detail for logs.
type Error struct {
	Industry string
	Reason   string
	Err      error
}

// Error is the user-facing message: the industry and the reason, never the provider's detail.
func (e *Error) Error() string {
	return fmt.Sprintf("could not create a mode for %q: %s", e.Industry, e.Reason)
}

// Unwrap returns the detail, so errors.Is and errors.As reach the provider's *llm.Error or
// context.Canceled.
func (e *Error) Unwrap() error { return e.Err }

// oneLine collapses whitespace (so a newline in the industry cannot forge the second header line)
// and bounds the length.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxIndustryLen {
		s = string([]rune(s)[:maxIndustryLen])
	}
	return s
}

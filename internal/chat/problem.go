package chat

import (
	"context"
	"errors"
	"fmt"

	"presto/internal/budget"
	"presto/internal/llm"
	"presto/internal/store"
)

// Problem is a failure as a user sees it: what to read, whether trying again may help, and a kind
// a transport maps to its own terms (an HTTP status, a socket message).
type Problem struct {
	Kind      ProblemKind `json:"kind"`
	Message   string      `json:"message"`
	Retryable bool        `json:"retryable"`
	// RetryAfter is how many seconds to wait before trying again, when a budget says so.
	RetryAfter int `json:"retry_after,omitempty"`
}

// ProblemKind classifies a Problem.
type ProblemKind string

// The kinds of Problem.
const (
	ProblemRejected    ProblemKind = "rejected"     // the request itself was refused (empty, too long, unknown tab)
	ProblemRateLimited ProblemKind = "rate_limited" // too many requests; try later
	ProblemBudget      ProblemKind = "budget"       // the address's or the demo's budget ran out; try after RetryAfter
	ProblemNotFound    ProblemKind = "not_found"    // a record that does not exist
	ProblemConflict    ProblemKind = "conflict"     // the request no longer fits the session (another mode)
	ProblemUpstream    ProblemKind = "upstream"     // the model failed or said something unusable
	ProblemStore       ProblemKind = "store"        // the database failed: what was asked was not saved (or not read)
	ProblemCanceled    ProblemKind = "canceled"     // the user or a newer turn stopped it
	ProblemInternal    ProblemKind = "internal"     // our own fault; the detail is in the log
)

// Rejected is a request refused before any work started; its message is written for the user.
type Rejected struct {
	Kind      ProblemKind // ProblemRejected, ProblemRateLimited or ProblemConflict
	Message   string
	Retryable bool
}

func (e *Rejected) Error() string { return e.Message }

// UserError is a failure whose message is written for the user (e.g. a mode that could not be
// generated).
type UserError struct {
	Message   string
	Retryable bool
	Err       error
}

func (e *UserError) Error() string { return fmt.Sprintf("%s: %v", e.Message, e.Err) }
func (e *UserError) Unwrap() error { return e.Err }

// StoreError is a failure of the store, named as such: it is not the model's fault, and nothing it
// was about was acknowledged. Message is written for the user.
type StoreError struct {
	Message string
	Err     error
}

func (e *StoreError) Error() string { return fmt.Sprintf("%s: %v", e.Message, e.Err) }
func (e *StoreError) Unwrap() error { return e.Err }

// storeFailed names err a store failure with message for the user. A missing record stays
// ErrNotFound, a write stopped by its caller stays a cancel, and a nil err stays nil.
func storeFailed(message string, err error) error {
	if err == nil || errors.Is(err, store.ErrNotFound) || errors.Is(err, context.Canceled) {
		return err
	}
	var already *StoreError
	if errors.As(err, &already) {
		return err
	}
	return &StoreError{Message: message, Err: err}
}

// Explain is the one place where an error becomes what a user reads, for sockets and HTTP alike.
// Anything it does not recognise is an internal error with a generic message: details stay in the
// log.
func Explain(err error) Problem {
	var rejected *Rejected
	var userErr *UserError
	var llmErr *llm.Error
	var storeErr *StoreError
	var exceeded *budget.Exceeded
	switch {
	case errors.As(err, &exceeded):
		kind := ProblemBudget
		if exceeded.Reason == budget.SessionChats {
			kind = ProblemRateLimited // the session's own pace, as before there were budgets
		}
		return Problem{Kind: kind, Message: exceeded.Message(), Retryable: true, RetryAfter: exceeded.WaitSeconds()}
	case errors.As(err, &rejected):
		return Problem{Kind: rejected.Kind, Message: rejected.Message, Retryable: rejected.Retryable}
	case errors.As(err, &storeErr):
		return Problem{Kind: ProblemStore, Message: storeErr.Message, Retryable: true}
	case errors.As(err, &userErr):
		return Problem{Kind: ProblemUpstream, Message: userErr.Message, Retryable: userErr.Retryable}
	case errors.Is(err, context.Canceled):
		return Problem{Kind: ProblemCanceled, Message: "Stopped.", Retryable: true}
	case errors.As(err, &llmErr):
		switch llmErr.Kind {
		case llm.KindCanceled:
			return Problem{Kind: ProblemCanceled, Message: "Stopped.", Retryable: true}
		case llm.KindRateLimited, llm.KindQuota:
			return Problem{Kind: ProblemRateLimited, Message: llmErr.Message, Retryable: llmErr.Retryable}
		}
		return Problem{Kind: ProblemUpstream, Message: llmErr.Message, Retryable: llmErr.Retryable}
	case errors.Is(err, context.DeadlineExceeded):
		return Problem{Kind: ProblemUpstream, Message: "the model took too long to answer", Retryable: true}
	case errors.Is(err, store.ErrNotFound):
		return Problem{Kind: ProblemNotFound, Message: "not found"}
	}
	return Problem{Kind: ProblemInternal, Message: "something went wrong on the server; try again", Retryable: true}
}

package openaillm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/packages/ssestream"

	"presto/internal/llm"
)

// maxErrorPeek bounds how much of a 429 body the retry middleware reads.
const maxErrorPeek = 64 << 10

// noQuotaRetry marks a 429 that reports an exhausted quota or spend limit with the
// "x-should-retry: false" header, which the SDK's retry loop honours (checked in its
// internal/requestconfig): such a 429 is not a rate limit, and waiting will not fix it. The body is
// restored so the SDK still builds its error from it.
func noQuotaRetry(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	res, err := next(req)
	if err != nil || res.StatusCode != http.StatusTooManyRequests || res.Body == nil {
		return res, err
	}
	body, readErr := io.ReadAll(io.LimitReader(res.Body, maxErrorPeek))
	_ = res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(body))
	if readErr == nil && quotaBody(body) {
		res.Header.Set("x-should-retry", "false")
	}
	return res, nil
}

// quotaBody reports whether an error body says the quota or spend limit is exhausted.
func quotaBody(body []byte) bool {
	var e struct {
		Error struct {
			Code    any    `json:"code"` // a string on OpenAI, sometimes a number elsewhere
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return false
	}
	return isQuota(fmt.Sprint(e.Error.Code), e.Error.Type, e.Error.Message)
}

// isQuota recognises spend-limit and quota errors by code, type or message, as OpenAI
// ("insufficient_quota", "You exceeded your current quota") and proxies report them.
func isQuota(code, typ, message string) bool {
	for _, s := range []string{code, typ} {
		switch strings.ToLower(s) {
		case "insufficient_quota", "quota_exceeded", "billing_hard_limit_reached", "budget_exceeded":
			return true
		}
	}
	m := strings.ToLower(message)
	return strings.Contains(m, "insufficient_quota") || strings.Contains(m, "exceeded your current quota") ||
		strings.Contains(m, "spend limit") || strings.Contains(m, "billing")
}

// classify turns a failure of one call into an *llm.Error: a cancelled caller is KindCanceled, a
// deadline that passed is KindTimeout.
func classify(ctx context.Context, err error) *llm.Error {
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		return &llm.Error{Kind: llm.KindCanceled, Message: "cancelled", Err: err}
	case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
		return &llm.Error{Kind: llm.KindTimeout, Message: "the model took too long to answer", Retryable: true, Err: err}
	}
	var apiErr *openai.Error
	if errors.As(err, &apiErr) {
		return statusError(apiErr)
	}
	var streamErr *ssestream.StreamError
	if errors.As(err, &streamErr) {
		return &llm.Error{Kind: llm.KindUnavailable, Message: "the model stopped with an error; try again", Retryable: true, Err: err}
	}
	return &llm.Error{Kind: llm.KindUnavailable, Message: "the model is unavailable; try again", Retryable: true, Err: err}
}

// statusError maps an HTTP error answer. Messages are ours, never the server's text, which may
// echo the prompt or name internal resources; only a rejected parameter's name is passed on.
func statusError(e *openai.Error) *llm.Error {
	out := &llm.Error{Status: e.StatusCode, Err: e}
	switch s := e.StatusCode; {
	case s == http.StatusTooManyRequests && isQuota(e.Code, e.Type, e.Message):
		out.Kind, out.Message = llm.KindQuota, "the model's quota or spend limit is exhausted"
	case s == http.StatusTooManyRequests:
		out.Kind, out.Message, out.Retryable = llm.KindRateLimited, "the model is busy (rate limited); try again in a moment", true
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		out.Kind, out.Message = llm.KindAuth, "the model service refused our credentials"
	case s == http.StatusNotFound:
		out.Kind, out.Message = llm.KindNotFound, "the model or deployment was not found"
	case s == http.StatusRequestTimeout:
		out.Kind, out.Message, out.Retryable = llm.KindTimeout, "the model took too long to answer", true
	case s >= 500:
		out.Kind, out.Message, out.Retryable = llm.KindUnavailable, "the model service is unavailable; try again", true
	case e.Code == "content_filter":
		out.Kind, out.Message = llm.KindBadRequest, "the content filter blocked this request"
	case e.Param != "":
		out.Kind, out.Message = llm.KindBadRequest, fmt.Sprintf("the model rejected the parameter %q", e.Param)
	default:
		out.Kind, out.Message = llm.KindBadRequest, "the model rejected the request"
	}
	return out
}

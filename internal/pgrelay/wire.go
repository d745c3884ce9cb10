package pgrelay

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A notification payload carries one event. PostgreSQL refuses a NOTIFY payload of 8000 bytes or
// more, and a payload is text: no NUL byte, and nothing the server's encoding cannot hold. So an
// event travels in one of three forms, each starting with the publisher's origin (16 hex digits)
// and the event's sequence number in its origin (base 36):
//
//	<origin>t<seq>.<len(session)>.<session><event>           the event as it is, when it is text
//	<origin>b<seq>.<len(session)>.<session><base64(event)>   the event in base64, when it is not
//	<origin>r<seq>.<row id>                                   the event in a session_event row
//
// The sequence number makes every payload of a transaction distinct (PostgreSQL folds identical
// notifications of one transaction into one), lets a receiver skip a duplicate, and lets it count
// the events it missed while it was not listening.
const (
	originLen = 16

	// defaultMaxPayload is the longest payload NOTIFY accepts from a server built with the
	// default block size: it refuses len >= BLCKSZ - NAMEDATALEN - 128 = 8000. Open reads the
	// server's own values.
	defaultMaxPayload = 7999

	kindText   = 't'
	kindBase64 = 'b'
	kindRow    = 'r'
)

// message is a decoded notification. For kindRow, sessionID and event are still to be read from
// the row rowID.
type message struct {
	origin    string
	kind      byte
	seq       uint64
	sessionID string
	event     []byte
	rowID     int64
}

// encodeInline returns the payload carrying the event itself, or false when no inline form fits
// in limit bytes.
func encodeInline(origin string, seq uint64, sessionID string, event []byte, utf8Server bool, limit int) (string, bool) {
	seqStr := strconv.FormatUint(seq, 36)
	sidLen := strconv.Itoa(len(sessionID))
	head := originLen + 1 + len(seqStr) + 1 + len(sidLen) + 1 + len(sessionID)

	kind := byte(kindText)
	bodyLen := len(event)
	if !textBytes(event, utf8Server) {
		kind = kindBase64
		bodyLen = base64.StdEncoding.EncodedLen(len(event))
	}
	if head+bodyLen > limit {
		return "", false
	}

	var b strings.Builder
	b.Grow(head + bodyLen)
	b.WriteString(origin)
	b.WriteByte(kind)
	b.WriteString(seqStr)
	b.WriteByte('.')
	b.WriteString(sidLen)
	b.WriteByte('.')
	b.WriteString(sessionID)
	if kind == kindText {
		b.Write(event)
	} else {
		enc := base64.NewEncoder(base64.StdEncoding, &b)
		_, _ = enc.Write(event) // a strings.Builder does not fail
		_ = enc.Close()
	}
	return b.String(), true
}

// rowPrefix is the payload of an event kept in a row, less the row's id, which the database
// appends when it inserts the row.
func rowPrefix(origin string, seq uint64) string {
	return origin + string(rune(kindRow)) + strconv.FormatUint(seq, 36) + "."
}

var errMalformed = errors.New("malformed notification")

// decode parses a payload made by encodeInline or rowPrefix.
func decode(payload string) (message, error) {
	if len(payload) < originLen+3 {
		return message{}, errMalformed
	}
	m := message{origin: payload[:originLen], kind: payload[originLen]}
	seqStr, rest, ok := strings.Cut(payload[originLen+1:], ".")
	if !ok {
		return message{}, errMalformed
	}
	seq, err := strconv.ParseUint(seqStr, 36, 64)
	if err != nil {
		return message{}, errMalformed
	}
	m.seq = seq

	switch m.kind {
	case kindRow:
		id, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			return message{}, errMalformed
		}
		m.rowID = id
		return m, nil
	case kindText, kindBase64:
		nStr, body, ok := strings.Cut(rest, ".")
		if !ok {
			return message{}, errMalformed
		}
		n, err := strconv.Atoi(nStr)
		if err != nil || n < 0 || n > len(body) {
			return message{}, errMalformed
		}
		m.sessionID, body = body[:n], body[n:]
		if m.kind == kindText {
			m.event = []byte(body)
			return m, nil
		}
		ev, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return message{}, fmt.Errorf("%w: %w", errMalformed, err)
		}
		m.event = ev
		return m, nil
	default:
		return message{}, errMalformed
	}
}

// textString reports whether s can travel in a text value: no NUL byte, valid UTF-8, and ASCII
// only when the server's encoding is not UTF-8 (the server would have to convert the rest).
func textString(s string, utf8Server bool) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 || (!utf8Server && s[i] >= utf8.RuneSelf) {
			return false
		}
	}
	return utf8.ValidString(s)
}

// textBytes is textString for a byte slice.
func textBytes(b []byte, utf8Server bool) bool {
	for _, c := range b {
		if c == 0 || (!utf8Server && c >= utf8.RuneSelf) {
			return false
		}
	}
	return utf8.Valid(b)
}

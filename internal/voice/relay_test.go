package voice

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"presto/internal/chat"
	"presto/internal/message"
)

func TestIsBase64AgreesWithTheDecoder(t *testing.T) {
	for _, s := range []string{"", "AAAA", "AAA=", "AA==", "A===", "AAAAA", "AA=A", "=AAA", "AB+/", "AB-_", "AA\nA", "QUJD", "QUI=", "QQ=="} {
		_, err := base64.StdEncoding.DecodeString(s)
		if got, want := isBase64(s), err == nil; got != want {
			t.Errorf("isBase64(%q) = %v, the decoder says %v", s, got, want)
		}
	}
}

func TestSamplesCountsPCM16WithoutDecoding(t *testing.T) {
	for n := range 12 {
		b64 := base64.StdEncoding.EncodeToString(make([]byte, 2*n))
		if got := samples(b64); got != n {
			t.Errorf("samples of %d zero samples = %d", n, got)
		}
	}
}

func TestSummaryNamesTheLatestQuestionsClipped(t *testing.T) {
	if got := summary(nil); got != "" {
		t.Errorf("summary of nothing = %q", got)
	}
	var earlier []chat.ChatLine
	for i := range 10 {
		earlier = append(earlier, chat.ChatLine{Role: message.RoleUser, Content: fmt.Sprintf("question %d", i)},
			chat.ChatLine{Role: message.RoleAssistant, Content: "an answer"})
	}
	earlier = append(earlier, chat.ChatLine{Role: message.RoleUser, Content: strings.Repeat("very long words ", 20)})
	got := summary(earlier)
	if strings.Contains(got, "question 2") || !strings.Contains(got, `"question 3"; "question 4"`) || strings.Contains(got, "an answer") {
		t.Errorf("summary %q, want the last %d questions only", got, summaryQuestions)
	}
	if !strings.Contains(got, `"very long words very long words`) || !strings.Contains(got, `words very…"`) {
		t.Errorf("summary %q, want the long question clipped at a word", got)
	}
}

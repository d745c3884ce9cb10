package voice

import (
	"encoding/base64"
	"testing"
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

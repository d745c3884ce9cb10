package check

import (
	"encoding/base64"
	"encoding/json"
	"strings"
)

// identity is what an Entra access token says about who signed in. It is read without
// verifying the signature: it only makes advice concrete (which tenant, which principal).
type identity struct {
	Tenant string `json:"tid"`
	Object string `json:"oid"`
	UPN    string `json:"upn"`
	Name   string `json:"unique_name"`
	AppID  string `json:"appid"`
}

// who names the signed-in principal for a person reading the report.
func (id identity) who() string {
	switch {
	case id.UPN != "":
		return id.UPN
	case id.Name != "":
		return id.Name
	case id.AppID != "":
		return "application " + id.AppID
	default:
		return "an unnamed principal"
	}
}

// parseIdentity decodes the claims of a JWT access token; ok is false when token is not one.
func parseIdentity(token string) (identity, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return identity{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return identity{}, false
	}
	var id identity
	if err := json.Unmarshal(payload, &id); err != nil {
		return identity{}, false
	}
	return id, id.Tenant != "" || id.Object != ""
}

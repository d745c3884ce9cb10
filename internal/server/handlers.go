package server

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"presto/internal/chat"
)

const sessionCookie = "presto_session"

// sessionID finds the caller's session: ?session=ID (non-browser clients), the cookie, or a new id
// that is then set as the cookie.
func (s *Server) sessionID(w http.ResponseWriter, r *http.Request) string {
	if id := r.URL.Query().Get("session"); validID(id) {
		return id
	}
	if c, err := r.Cookie(sessionCookie); err == nil && validID(c.Value) {
		return c.Value
	}
	id := newID()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil, MaxAge: 365 * 24 * 3600})
	return id
}

// handleRoot answers monitors and curl with the health JSON, and browsers with the app.
func (s *Server) handleRoot() http.Handler {
	app := s.handleApp()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.Header.Get("Accept"), "text/html") {
			app.ServeHTTP(w, r)
			return
		}
		encode(w, http.StatusOK, health{Status: "ok", Service: "presto-changeo"})
	})
}

// health is the seed's health answer, fields in its order.
type health struct {
	Status  string `json:"status"`
	Service string `json:"service"`
}

func handleHealthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		encode(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

// readyFor is how long a readiness answer is reused: every load balancer polls /readyz, and each
// check is a real write.
const readyFor = time.Second

// handleReadyz reports ready when the store can read and write (a real round trip, at most once
// per readyFor).
func (s *Server) handleReadyz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.checkReady(r.Context()); err != nil {
			writeError(w, http.StatusServiceUnavailable, "not ready: the store cannot read and write; see the server log")
			return
		}
		encode(w, http.StatusOK, map[string]string{"status": "ready"})
	})
}

func (s *Server) checkReady(ctx context.Context) error {
	s.ready.mu.Lock()
	defer s.ready.mu.Unlock()
	if time.Since(s.ready.at) < readyFor {
		return s.ready.err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	s.ready.at, s.ready.err = time.Now(), s.Store.Ping(ctx)
	if s.ready.err != nil {
		s.Logger.Warn("not ready", "err", s.ready.err)
	}
	return s.ready.err
}

// withSession runs f with the caller's live session, answering the error itself when the session
// cannot be loaded.
func (s *Server) withSession(w http.ResponseWriter, r *http.Request, f func(*chat.Session)) {
	sess, err := s.Chat.Open(r.Context(), s.sessionID(w, r), s.clientAddr(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer s.Chat.Release(sess)
	f(sess)
}

func (s *Server) handleState() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.withSession(w, r, func(sess *chat.Session) { encode(w, http.StatusOK, sess.State()) })
	})
}

type modeSummary struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	CompanyName string `json:"company_name"`
	Prebuilt    bool   `json:"prebuilt"`
}

func (s *Server) handleModes() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		all, err := s.Catalog.List(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		list := make([]modeSummary, 0, len(all))
		for _, m := range all {
			list = append(list, modeSummary{ID: m.ID, Name: m.Name, CompanyName: m.CompanyName, Prebuilt: m.Prebuilt})
		}
		encode(w, http.StatusOK, map[string]any{"modes": list})
	})
}

type voicePreference struct {
	Voice  string   `json:"voice"`
	Voices []string `json:"voices,omitempty"`
}

func (s *Server) handleGetVoice() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.withSession(w, r, func(sess *chat.Session) {
			voice := sess.Voice()
			if voice == "" {
				voice = s.Voices[0]
			}
			encode(w, http.StatusOK, voicePreference{Voice: voice, Voices: s.Voices})
		})
	})
}

func (s *Server) handleSetVoice() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in voicePreference
		if err := decode(w, r, &in); err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		if !slices.Contains(s.Voices, in.Voice) {
			writeError(w, http.StatusBadRequest, "unknown voice "+quote(in.Voice)+"; choose one of "+strings.Join(s.Voices, ", "))
			return
		}
		s.withSession(w, r, func(sess *chat.Session) {
			if err := sess.SetVoice(r.Context(), in.Voice); err != nil {
				s.fail(w, r, err)
				return
			}
			encode(w, http.StatusOK, voicePreference{Voice: in.Voice, Voices: s.Voices})
		})
	})
}

// tabContentRequest is the body of POST /api/tab-content, a thin adapter over the socket's tab
// request for clients without a socket. tab_label is accepted for older clients and not used: the
// mode's own label is.
type tabContentRequest struct {
	TabID    string `json:"tab_id"`
	TabLabel string `json:"tab_label"`
	ModeID   string `json:"mode_id"`
}

func (s *Server) handleTabContent() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in tabContentRequest
		if err := decode(w, r, &in); err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		if !validSlug(in.TabID) || !validSlug(in.ModeID) || len(in.TabLabel) > 60 {
			writeError(w, http.StatusBadRequest, "tab_id and mode_id are required (ids: lowercase letters, digits and dashes)")
			return
		}
		s.withSession(w, r, func(sess *chat.Session) {
			results, err := sess.TabContent(r.Context(), in.ModeID, in.TabID, s.clientAddr(r))
			if err != nil {
				s.fail(w, r, err)
				return
			}
			encode(w, http.StatusOK, map[string]any{"tool_results": results})
		})
	})
}

// handleImage serves a generated image; names are plain file names, never paths.
func (s *Server) handleImage() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		if s.ImagesDir == "" || name != filepath.Base(name) || strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".png") {
			writeError(w, http.StatusNotFound, "not found")
			return
		}
		f, err := os.Open(filepath.Join(s.ImagesDir, name))
		if err != nil {
			writeError(w, http.StatusNotFound, "not found")
			return
		}
		defer f.Close()
		info, err := f.Stat()
		if err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		http.ServeContent(w, r, name, info.ModTime(), f)
	})
}

func notFound() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not found")
	})
}

func validSlug(s string) bool {
	if s == "" || len(s) > 80 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func quote(s string) string { return "\"" + s + "\"" }

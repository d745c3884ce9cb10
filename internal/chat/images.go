package chat

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/openai/openai-go/v3"

	"presto/internal/modes"
	"presto/internal/store"
)

// ImageFunc makes one image for a prompt and returns its PNG bytes.
type ImageFunc func(ctx context.Context, prompt string) ([]byte, error)

// ImageMaker gives generated modes a background image, after the switch and never delaying it. An
// image is made once per mode, written to the data directory and reused forever after.
type ImageMaker struct {
	generate ImageFunc
	dir      string
	store    store.Store
	logger   *slog.Logger
	wg       sync.WaitGroup
}

// NewImageMaker stores images under dir (served at /images/).
func NewImageMaker(generate ImageFunc, dir string, st store.Store, logger *slog.Logger) *ImageMaker {
	return &ImageMaker{generate: generate, dir: dir, store: st, logger: logger}
}

// Start makes m's image in the background when it has none.
func (im *ImageMaker) Start(m modes.Mode) {
	if m.BackgroundImage != "" {
		return
	}
	im.wg.Add(1)
	go func() {
		defer im.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if err := im.make(ctx, m); err != nil {
			im.logger.Warn("background image", "mode", m.ID, "err", err)
		}
	}()
}

// Wait blocks until images in progress are written (graceful shutdown, tests).
func (im *ImageMaker) Wait() { im.wg.Wait() }

func (im *ImageMaker) make(ctx context.Context, m modes.Mode) error {
	prompt := fmt.Sprintf("A soft, light, minimal abstract background for the web dashboard of %s, a %s business. "+
		"Subtle shapes in %s and white, lots of empty space, no text, no logos, no people.",
		m.CompanyName, m.Name, m.Theme.Primary)
	png, err := im.generate(ctx, prompt)
	if err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	if err := os.MkdirAll(im.dir, 0o755); err != nil {
		return fmt.Errorf("create image dir: %w", err)
	}
	name := m.ID + ".png"
	tmp, err := os.CreateTemp(im.dir, name+".*")
	if err != nil {
		return fmt.Errorf("write image: %w", err)
	}
	if _, err := tmp.Write(png); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("write image: %w", err)
	}
	if err := errors.Join(tmp.Sync(), tmp.Close(), os.Rename(tmp.Name(), filepath.Join(im.dir, name))); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write image: %w", err)
	}
	m.BackgroundImage = "/images/" + name
	if err := im.store.SaveMode(ctx, m); err != nil {
		return fmt.Errorf("save mode with image: %w", err)
	}
	im.logger.Info("background image ready", "mode", m.ID)
	return nil
}

// OpenAIImages makes images with an image deployment through the official SDK. gpt-image models
// answer base64 and reject response_format, so none is sent.
func OpenAIImages(client openai.Client, model string) ImageFunc {
	return func(ctx context.Context, prompt string) ([]byte, error) {
		resp, err := client.Images.Generate(ctx, openai.ImageGenerateParams{
			Model:   openai.ImageModel(model),
			Prompt:  prompt,
			Size:    openai.ImageGenerateParamsSize1536x1024,
			Quality: openai.ImageGenerateParamsQualityLow,
		})
		if err != nil {
			return nil, err
		}
		if len(resp.Data) == 0 || resp.Data[0].B64JSON == "" {
			return nil, errors.New("the image deployment returned no image")
		}
		return base64.StdEncoding.DecodeString(resp.Data[0].B64JSON)
	}
}

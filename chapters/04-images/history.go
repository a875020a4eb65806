package images

import (
	"fmt"
	"strings"
	"time"
)

// An image's history is its config's list of what made each layer, like
// `git log`: newest first, each with its layer and the layer's size. Items
// marked empty_layer changed only the config and have no layer.

// HistoryEntry is one line of an image's history.
type HistoryEntry struct {
	Created   time.Time
	CreatedBy string
	Layer     Digest // "" for an entry that made no layer
	Size      int64  // the compressed layer's size
}

// History returns img's history, newest first.
//
//workshop:exercise img.history
func (img *Image) History() ([]HistoryEntry, error) {
	var out []HistoryEntry
	layer := 0
	for _, h := range img.Config.History {
		e := HistoryEntry{CreatedBy: h.CreatedBy}
		if h.Created != nil {
			e.Created = *h.Created
		}
		if !h.EmptyLayer {
			if layer >= len(img.Manifest.Layers) {
				return nil, fmt.Errorf("image %s: its history names more layers than its manifest has (%d)", img.Digest, len(img.Manifest.Layers))
			}
			e.Layer, e.Size = img.Manifest.Layers[layer].Digest, img.Manifest.Layers[layer].Size
			layer++
		}
		out = append(out, e)
	}
	// Layers without a history entry (some tools write none) still show.
	for ; layer < len(img.Manifest.Layers); layer++ {
		out = append(out, HistoryEntry{Layer: img.Manifest.Layers[layer].Digest, Size: img.Manifest.Layers[layer].Size})
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// FormatHistory formats a history as `docker history` does.
func FormatHistory(h []HistoryEntry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-12s  %-20s  %9s  %s\n", "LAYER", "CREATED", "SIZE", "CREATED BY")
	for _, e := range h {
		layer, created := "<none>", "?"
		if e.Layer != "" {
			layer = e.Layer.Short()
		}
		if !e.Created.IsZero() {
			created = e.Created.UTC().Format("2006-01-02T15:04:05Z")
		}
		fmt.Fprintf(&b, "%-12s  %-20s  %9s  %s\n", layer, created, HumanSize(e.Size), e.CreatedBy)
	}
	return b.String()
}

package images_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	images "github.com/minibox-dev/minibox/chapters/04-images"
)

// An image's history, made of its config's history and its manifest's
// layers: newest first, each item with its layer, unless it made none.
func TestHistory(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 1, d, 12, 0, 0, 0, time.UTC) }
	at := func(d int) *time.Time { tm := day(d); return &tm }
	layer := func(n int) images.Descriptor {
		return images.Descriptor{MediaType: images.MediaTypeLayerGz, Digest: images.Digest(fmt.Sprintf("sha256:%064d", n)), Size: int64(n) * 1000}
	}
	tests := []struct {
		name    string
		history []images.HistoryItem
		layers  []images.Descriptor
		want    []images.HistoryEntry
		wantErr string
	}{
		{
			name:    "one item per layer, newest first",
			history: []images.HistoryItem{{Created: at(1), CreatedBy: "import"}, {Created: at(2), CreatedBy: "echo hi > /hello"}},
			layers:  []images.Descriptor{layer(1), layer(2)},
			want: []images.HistoryEntry{
				{Created: day(2), CreatedBy: "echo hi > /hello", Layer: layer(2).Digest, Size: 2000},
				{Created: day(1), CreatedBy: "import", Layer: layer(1).Digest, Size: 1000},
			},
		},
		{
			name: "an empty_layer item has no layer",
			history: []images.HistoryItem{
				{Created: at(1), CreatedBy: "import"},
				{Created: at(2), CreatedBy: "ENV A=1", EmptyLayer: true},
				{Created: at(3), CreatedBy: "make"},
			},
			layers: []images.Descriptor{layer(1), layer(2)},
			want: []images.HistoryEntry{
				{Created: day(3), CreatedBy: "make", Layer: layer(2).Digest, Size: 2000},
				{Created: day(2), CreatedBy: "ENV A=1"},
				{Created: day(1), CreatedBy: "import", Layer: layer(1).Digest, Size: 1000},
			},
		},
		{
			name:    "layers without an item still show",
			history: []images.HistoryItem{{Created: at(1), CreatedBy: "import"}},
			layers:  []images.Descriptor{layer(1), layer(2)},
			want: []images.HistoryEntry{
				{Layer: layer(2).Digest, Size: 2000},
				{Created: day(1), CreatedBy: "import", Layer: layer(1).Digest, Size: 1000},
			},
		},
		{
			name:    "an item without a time",
			history: []images.HistoryItem{{CreatedBy: "import"}},
			layers:  []images.Descriptor{layer(1)},
			want:    []images.HistoryEntry{{CreatedBy: "import", Layer: layer(1).Digest, Size: 1000}},
		},
		{
			name:    "more items than layers",
			history: []images.HistoryItem{{CreatedBy: "import"}, {CreatedBy: "make"}},
			layers:  []images.Descriptor{layer(1)},
			wantErr: "more layers than its manifest has",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := &images.Image{Digest: images.FromBytes([]byte(tt.name)), Manifest: images.Manifest{Layers: tt.layers}, Config: images.Config{History: tt.history}}
			got, err := img.History()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("%s: History() = %+v, %v; want an error saying %q", tt.name, got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: History(): %v", tt.name, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s: History() (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

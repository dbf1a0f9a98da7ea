package render

import (
	"strings"
	"testing"
)

func TestDisplayNames(t *testing.T) {
	tests := []struct{ name, want string }{
		{"encoding/json.(*decodeState).object", "encoding/json.(*decodeState).object | (*decodeState).object | object"},
		{"runtime.mallocgc", "runtime.mallocgc | mallocgc"},
		{"main.main", "main.main | main"},
		{"runtime.gcBgMarkWorker.func1", "runtime.gcBgMarkWorker.func1 | gcBgMarkWorker.func1"},
		{"net/http.(*conn).serve.func1.2", "net/http.(*conn).serve.func1.2 | (*conn).serve.func1.2 | serve.func1.2"},
		{"encoding/json.appendString[go.shape.string]", "encoding/json.appendString[go.shape.string] | appendString[go.shape.string]"},
		{"github.com/a/b.F[go.shape.*example.com/x.T]", "github.com/a/b.F[go.shape.*example.com/x.T] | F[go.shape.*example.com/x.T]"},
		{"[app]", "[app]"},
		{"<unknown>", "<unknown>"},
		{"main;weird name", "main;weird name"},
	}
	for _, tc := range tests {
		if got := strings.Join(DisplayNames(tc.name), " | "); got != tc.want {
			t.Errorf("DisplayNames(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

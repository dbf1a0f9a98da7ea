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
		// Frames at -lines, -files and -filefunctions, as Func.Label draws them.
		{"json.(*decodeState).object decode.go:641", "json.(*decodeState).object decode.go:641 | (*decodeState).object decode.go:641 | object decode.go:641 | decode.go:641"},
		{"encode.go", "encode.go"},
		{"/usr/local/go/src/encoding/json/encode.go", "/usr/local/go/src/encoding/json/encode.go | json/encode.go | encode.go"},
		{"runtime.memmove memmove_amd64.s", "runtime.memmove memmove_amd64.s | memmove memmove_amd64.s | memmove_amd64.s"},
		{"operator new", "operator new"},
		{"std::vector<int>::push_back(int const&)", "std::vector<int>::push_back(int const&)"},
	}
	for _, tc := range tests {
		if got := strings.Join(DisplayNames(tc.name), " | "); got != tc.want {
			t.Errorf("DisplayNames(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

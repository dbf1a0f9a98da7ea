package assets

import (
	"encoding/xml"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The file types the .desktop entry claims (FyneApp.toml's [CanOpen]) are
// standard ones or defined in the MIME package, whose globs cover the
// names profiles have.
func TestDesktopFileTypesAreDefined(t *testing.T) {
	var mime struct {
		Types []struct {
			Type  string `xml:"type,attr"`
			Globs []struct {
				Pattern string `xml:"pattern,attr"`
			} `xml:"glob"`
		} `xml:"mime-type"`
	}
	data, err := os.ReadFile("io.github.flamelens.xml")
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, &mime); err != nil {
		t.Fatalf("the MIME package is not well-formed: %v", err)
	}
	defined := map[string]bool{"text/plain": true}
	var globs []string
	for _, mt := range mime.Types {
		defined[mt.Type] = true
		for _, g := range mt.Globs {
			globs = append(globs, g.Pattern)
		}
	}
	for _, want := range []string{"*.pprof", "*.prof", "*.pb.gz", "*.folded"} {
		if !slices.Contains(globs, want) {
			t.Errorf("no MIME type has the glob %s", want)
		}
	}
	toml, err := os.ReadFile("../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^MimeTypes = "(.*)"`).FindSubmatch(toml)
	if m == nil {
		t.Fatal("FyneApp.toml has no [CanOpen] MimeTypes")
	}
	claimed := strings.Split(strings.TrimSuffix(string(m[1]), ";"), ";")
	for _, c := range claimed {
		if !defined[c] {
			t.Errorf("the .desktop entry claims %s, which nothing defines", c)
		}
	}
	for typ := range defined {
		if !slices.Contains(claimed, typ) {
			t.Errorf("%s is defined but the .desktop entry does not open it", typ)
		}
	}
}

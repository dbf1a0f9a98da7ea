package render

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"slices"

	"github.com/flamelens/flamelens/model"
)

//go:embed page.js
var pageScript string

//go:embed page.css
var pageStyle string

// PageMinShare is the share of the total below which a page's frames are
// merged ahead of time: narrower than a pixel on a 4000-pixel-wide graph.
const PageMinShare = 1.0 / 4000

// Page is a profile's view as one self-contained interactive HTML file:
// the flame graph drawn on a canvas (zoom, search, values on hover) and
// the function table; for a comparison the differential graph, the two
// side by side and the diff table. Nothing is loaded from elsewhere.
type Page struct {
	Title string
	// Tree is the view's tree; in a comparison, shaped by NEW with BASE's
	// values beside (model.Stacks.CompareTrees' first).
	Tree *model.Tree
	// Rows are the function table (flat and cum); Deltas, in a
	// comparison, both sides of each function.
	Rows   []model.FuncStat
	Deltas []model.FuncDelta
}

// pageData is what the page's script reads: frames as flat arrays in
// depth-first order (a node's children follow it), names by index.
type pageData struct {
	Title     string   `json:"title"`
	Unit      string   `json:"unit"`
	Type      string   `json:"type"`
	Total     int64    `json:"absTotal"`
	BaseTotal int64    `json:"baseTotal,omitempty"`
	Comparing bool     `json:"comparing"`
	Names     []string `json:"names"`
	Parent    []int32  `json:"parent"`
	Name      []int32  `json:"name"`
	Self      []int64  `json:"self"`
	Value     []int64  `json:"total"`
	BaseSelf  []int64  `json:"baseSelf,omitempty"`
	BaseValue []int64  `json:"baseValue,omitempty"`
	Narrow    []int32  `json:"merged"` // how many frames a merged node stands for; 0 for a frame
	Table     [][]any  `json:"table"`  // name index, flat, cum[, base flat, base cum]
}

// pageNames interns names.
type pageNames struct {
	index map[string]int32
	list  []string
}

func (n *pageNames) of(s string) int32 {
	if i, ok := n.index[s]; ok {
		return i
	}
	i := int32(len(n.list))
	n.index[s] = i
	n.list = append(n.list, s)
	return i
}

// WriteHTML writes p as one HTML file.
func (p *Page) WriteHTML(w io.Writer) error {
	t := p.Tree
	comparing := t.OtherTotal != nil
	d := pageData{Title: p.Title, Unit: t.SampleType.Unit, Type: t.SampleType.Name, Total: t.AbsTotal, Comparing: comparing}
	if comparing {
		d.BaseTotal = t.OtherAbsTotal
	}
	names := &pageNames{index: map[string]int32{}}
	scale := max(t.AbsTotal, t.OtherAbsTotal, 1)
	min := int64(float64(scale) * PageMinShare)
	add := func(parent int32, name int32, self, total, baseSelf, baseTotal int64, merged int32) int32 {
		d.Parent = append(d.Parent, parent)
		d.Name = append(d.Name, name)
		d.Self = append(d.Self, self)
		d.Value = append(d.Value, total)
		if comparing {
			d.BaseSelf = append(d.BaseSelf, baseSelf)
			d.BaseValue = append(d.BaseValue, baseTotal)
		}
		d.Narrow = append(d.Narrow, merged)
		return int32(len(d.Parent) - 1)
	}
	other := func(vals []int64, n model.NodeID) int64 {
		if vals == nil {
			return 0
		}
		return vals[n]
	}
	// Depth first with an explicit stack; children whose larger side is
	// below min are merged into one node per parent.
	type item struct {
		n      model.NodeID
		parent int32
	}
	stack := []item{{model.Root, -1}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := it.n
		id := add(it.parent, names.of(t.Name(n)), t.Self[n], t.Total[n], other(t.OtherSelf, n), other(t.OtherTotal, n), 0)
		var keep []model.NodeID
		var mTotal, mBase int64
		var mCount int32
		for _, c := range t.Children(n) {
			if max(abs(t.Total[c]), abs(other(t.OtherTotal, c))) >= min {
				keep = append(keep, c)
				continue
			}
			mTotal += t.Total[c]
			mBase += other(t.OtherTotal, c)
			mCount++
		}
		if mCount > 0 {
			add(id, names.of(fmt.Sprintf("%d frames narrower than a pixel", mCount)), mTotal, mTotal, mBase, mBase, mCount)
		}
		for _, c := range slices.Backward(keep) {
			stack = append(stack, item{c, id})
		}
	}
	if comparing {
		for _, r := range p.Deltas {
			d.Table = append(d.Table, []any{names.of(r.Name), r.Flat, r.Cum, r.OtherFlat, r.OtherCum})
		}
	} else {
		for _, r := range p.Rows {
			d.Table = append(d.Table, []any{names.of(r.Name), r.Flat, r.Cum})
		}
	}
	d.Names = names.list
	data, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return pageTemplate.Execute(w, struct {
		Title  string
		Style  template.CSS
		Script template.JS
		Data   template.JS
	}{p.Title, template.CSS(pageStyle), template.JS(pageScript), template.JS(data)})
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title><style>{{.Style}}</style></head><body>
<header><h1 id="title"></h1><p id="summary"></p>
<div class="bar"><input id="search" type="search" placeholder="Search functions (regexp)" autocomplete="off">
<span id="found"></span><button id="reset" type="button">Zoom out</button>
<select id="mode" hidden><option value="diff">Differential</option><option value="side">Side by side</option></select></div></header>
<main><section id="graphs"><div class="graph"><div class="caption" id="cap0"></div><canvas id="flame0"></canvas></div>
<div class="graph" id="second" hidden><div class="caption" id="cap1"></div><canvas id="flame1"></canvas></div></section>
<div id="tip" hidden></div>
<section id="tablebox"><table id="table"><thead></thead><tbody></tbody></table></section></main>
<footer>flamelens · one file, nothing loaded from elsewhere</footer>
<script id="data" type="application/json">{{.Data}}</script>
<script>{{.Script}}</script>
</body></html>
`))

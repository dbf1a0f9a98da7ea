package render

import (
	"hash/fnv"
	"image/color"
	"math"

	"github.com/flamelens/flamelens/model"
)

// Theme is the set of colours a picture is drawn with.
type Theme struct {
	Dark       bool
	Background color.NRGBA
	// Narrow fills boxes that stand for many frames narrower than a pixel.
	Narrow color.NRGBA
	// Selection outlines the selected frame.
	Selection color.NRGBA
	// Match fills frames that match a search or a chosen table row: a hue
	// no package colour has (magenta, as FlameGraph's search uses), so
	// that even a sliver stands out from the warm frames around it.
	Match color.NRGBA
}

// LightTheme is for light window themes and exported pictures.
var LightTheme = Theme{
	Background: color.NRGBA{0xff, 0xff, 0xff, 0xff},
	Narrow:     color.NRGBA{0xc8, 0xc8, 0xc8, 0xff},
	Selection:  color.NRGBA{0x1a, 0x5f, 0xd0, 0xff},
	Match:      color.NRGBA{0xd0, 0x1c, 0xd0, 0xff},
}

// DarkTheme is for dark window themes.
var DarkTheme = Theme{
	Dark:       true,
	Background: color.NRGBA{0x17, 0x17, 0x1a, 0xff},
	Narrow:     color.NRGBA{0x55, 0x55, 0x5a, 0xff},
	Selection:  color.NRGBA{0x6a, 0xb0, 0xff, 0xff},
	Match:      color.NRGBA{0xe0, 0x40, 0xe0, 0xff},
}

// FrameColor is the fill of frames of function name in package pkg: a
// warm hue picked by a hash of the package name, so a package keeps its
// colour across runs and profiles, made a little lighter or darker and
// turned a few degrees by a hash of the function's name, so that a
// package's frames side by side and above one another are told apart
// (a one-package profile is not one wall of colour). Frames with no
// package are grey-brown. Dark themes get darker fills so that light text
// reads on them.
func FrameColor(pkg, name string, dark bool) color.NRGBA {
	return familyColor(pkg, name, 0, 56, 1, dark)
}

// OriginColor is the fill of frames of package pkg whose code is origin's:
// a family of hues each — the user's code warm (as FrameColor), the
// standard library blue, dependencies green, the runtime a grey violet —
// with packages told apart within it.
func OriginColor(origin model.Origin, pkg, name string, dark bool) color.NRGBA {
	switch origin {
	case model.OriginMine:
		return familyColor(pkg, name, 0, 40, 1, dark)
	case model.OriginStd:
		return familyColor(pkg, name, 195, 30, 0.8, dark)
	case model.OriginDeps:
		return familyColor(pkg, name, 95, 45, 0.7, dark)
	case model.OriginRuntime:
		return familyColor(pkg, name, 265, 20, 0.35, dark)
	}
	return familyColor("", name, 0, 1, 1, dark)
}

// familyColor is a colour for pkg among span degrees of hue from hue0,
// its saturation scaled by satScale, varied for function name within it.
func familyColor(pkg, name string, hue0, span uint32, satScale float64, dark bool) color.NRGBA {
	v, f := hash32(pkg), hash32(name)
	// The function's own turn (±7°) and step in lightness (±0.07).
	turn := float64(f%15) - 7
	step := (float64(f>>8%15) - 7) / 100
	hue := math.Mod(float64(hue0+v%span)+turn+360, 360) / 360
	sat := (0.62 + float64(v>>8%24)/100) * satScale // 0.62..0.85 at full
	light := 0.62 + float64(v>>16%8)/100 + step     // 0.55..0.76
	if pkg == "" {
		hue, sat = 30.0/360, 0.18
	}
	if dark {
		// Muted, not the saturated rust of a light theme's hue darkened:
		// a dark theme's frames sit back from their white labels.
		light = 0.31 + float64(v>>16%5)/100 + step*0.7 // 0.26..0.40: white text reads on it
		sat *= 0.7
	}
	// Yellows are brighter than reds at the same lightness: move the
	// lightness until the label's text has WCAG AA contrast (4.5:1).
	c := hsl(hue, sat, light)
	for i := 0; i < 30 && Contrast(c, TextColor(c)) < 4.5; i++ {
		if dark {
			light -= 0.01
		} else {
			light += 0.01
		}
		c = hsl(hue, sat, light)
	}
	return c
}

// hash32 is FNV-1a of s: the same across runs and machines.
func hash32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// TextColor is black or white, whichever contrasts more with bg (WCAG
// relative luminance).
func TextColor(bg color.NRGBA) color.NRGBA {
	l := luminance(bg)
	// contrast with black: (l+0.05)/0.05; with white: 1.05/(l+0.05)
	if (l+0.05)*(l+0.05) > 0.05*1.05 {
		return color.NRGBA{0x10, 0x10, 0x10, 0xff}
	}
	return color.NRGBA{0xf5, 0xf5, 0xf5, 0xff}
}

// Contrast is the WCAG contrast ratio of two colours, from 1 to 21.
func Contrast(a, b color.NRGBA) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c color.NRGBA) float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// Blend mixes a toward b by t in [0,1].
func Blend(a, b color.NRGBA, t float64) color.NRGBA {
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-t) + float64(y)*t)) }
	return color.NRGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}

func hsl(h, s, l float64) color.NRGBA {
	c := (1 - math.Abs(2*l-1)) * s
	hp := h * 6
	x := c * (1 - math.Abs(math.Mod(hp, 2)-1))
	var r, g, b float64
	switch {
	case hp < 1:
		r, g = c, x
	case hp < 2:
		r, g = x, c
	case hp < 3:
		g, b = c, x
	case hp < 4:
		g, b = x, c
	case hp < 5:
		r, b = x, c
	default:
		r, b = c, x
	}
	m := l - c/2
	to := func(v float64) uint8 { return uint8(math.Round(math.Max(0, math.Min(1, v+m)) * 255)) }
	return color.NRGBA{to(r), to(g), to(b), 0xff}
}

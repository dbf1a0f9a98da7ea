// Package assets embeds the files flamelens ships inside its binary.
package assets

import _ "embed"

// SampleProfile is a real CPU profile (go test -cpuprofile on encoding/json's
// benchmarks, see testdata/README.md), opened when no source is given.
//
//go:embed sample.pb.gz
var SampleProfile []byte

// SampleName is the name the sample profile is shown under.
const SampleName = "sample: encoding/json benchmarks (cpu)"

// Icon is the application icon, 512×512 PNG.
//
//go:embed icon.png
var Icon []byte

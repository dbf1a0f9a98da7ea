package render

import (
	"strings"

	"github.com/flamelens/flamelens/insights"
	"github.com/flamelens/flamelens/model"
)

// CostList is a finding's costs as "name (value), name (value, +change)",
// names with control characters escaped: the command's and the window's.
func CostList(costs []insights.Cost, unit string) string {
	var parts []string
	for _, c := range costs {
		v := model.FormatValue(c.Value, unit)
		if c.Delta != 0 {
			v += ", " + Signed(c.Delta, unit) // the change from BASE
		}
		parts = append(parts, model.EscapeControl(c.Name)+" ("+v+")")
	}
	return strings.Join(parts, ", ")
}

package plan

import (
	"math"
	"strconv"
)

// roundAmount renders an amount the machine measured (its memory, say) for
// a message: at most two decimals, no trailing zeros, so that a person
// reads 24105.1 MB and not 24105.09765625 MB. What the user wrote is shown
// as written.
func roundAmount(f float64) string {
	return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
}

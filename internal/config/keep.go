package config

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// parseKeep reads #+borges_keep: how long an ended document is kept (an
// age: 7d, 12h, 90m, 1d12h) and/or how many documents are kept (a count:
// 100), separated by spaces, in either order.
func parseKeep(v string) (age time.Duration, count int, err error) {
	fields := strings.Fields(v)
	if len(fields) == 0 {
		return 0, 0, fmt.Errorf("is empty: give an age (7d, 12h), a count (100), or both")
	}
	for _, f := range fields {
		if n, err := strconv.Atoi(f); err == nil {
			if n < 1 {
				return 0, 0, fmt.Errorf("has %q, which is not an age (7d, 12h) or a count (100)", f)
			}
			if count != 0 {
				return 0, 0, fmt.Errorf("gives two counts: give at most one age and one count")
			}
			count = n
			continue
		}
		d, ok := parseAge(f)
		if !ok {
			return 0, 0, fmt.Errorf("has %q, which is not an age (7d, 12h) or a count (100)", f)
		}
		if age != 0 {
			return 0, 0, fmt.Errorf("gives two ages: give at most one age and one count")
		}
		age = d
	}
	return age, count, nil
}

// ageRe is an age: whole days ("7d"), then what time.ParseDuration reads
// ("12h", "90m"), either or both.
var ageRe = regexp.MustCompile(`^(?:([0-9]+)d)?([0-9][0-9hms.]*)?$`)

// parseAge reads one age; it must be positive.
func parseAge(s string) (time.Duration, bool) {
	m := ageRe.FindStringSubmatch(s)
	if m == nil || s == "" {
		return 0, false
	}
	var d time.Duration
	if m[1] != "" {
		days, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil || days > int64(math.MaxInt64/(24*time.Hour)) {
			return 0, false
		}
		d = time.Duration(days) * 24 * time.Hour
	}
	if m[2] != "" {
		rest, err := time.ParseDuration(m[2])
		if err != nil || rest > math.MaxInt64-d {
			return 0, false
		}
		d += rest
	}
	return d, d > 0
}

package config

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseSize reads a size of the configuration: a number of MB ("64", as
// #+borges_max_body: takes it) or a number with a unit, B, K, M, G or T
// (KiB, MB… are read alike: units are powers of 1024).
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := len(t)
	for i > 0 && (t[i-1] < '0' || t[i-1] > '9') && t[i-1] != '.' {
		i--
	}
	num, unit := strings.TrimSpace(t[:i]), strings.ToLower(strings.TrimSpace(t[i:]))
	unit = strings.TrimSuffix(strings.TrimSuffix(unit, "ib"), "b")
	mult := map[string]float64{"": 1 << 20, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
	if strings.EqualFold(strings.TrimSpace(t[i:]), "b") {
		unit = "byte"
		mult["byte"] = 1
	}
	m, ok := mult[unit]
	f, err := strconv.ParseFloat(num, 64)
	if !ok || err != nil || f*m < 1 || f*m > 1<<62 {
		return 0, fmt.Errorf("is not a size (MB, or with a unit: 100B, 64K, 16M, 1G)")
	}
	return int64(f * m), nil
}

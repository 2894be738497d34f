package config

import "testing"

func TestParseSize(t *testing.T) {
	good := map[string]int64{"64": 64 << 20, "1G": 1 << 30, "1 GiB": 1 << 30, "1gb": 1 << 30, "100B": 100, "100 b": 100,
		"64K": 64 << 10, "64KiB": 64 << 10, "16M": 16 << 20, "0.5M": 512 << 10, "2T": 2 << 40}
	for s, want := range good {
		if got, err := ParseSize(s); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "lots", "-1", "0", "1X", "G", "1.2.3M", "0.1B", "1ibb"} {
		if got, err := ParseSize(s); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", s, got)
		}
	}
}

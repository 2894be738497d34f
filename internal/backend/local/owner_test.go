package local

import (
	"context"
	"testing"
)

func TestLookupPasswd(t *testing.T) {
	passwd := []byte("root:x:0:0:root:/root:/bin/sh\nbad line\nweird:x:notanumber:1::/:/bin/sh\nnobody:x:65534:65533:nobody:/nonexistent:/bin/false\n")
	cases := []struct {
		key    string
		byName bool
		want   string // the uid field, "" for not found
	}{
		{"nobody", true, "65534"},
		{"root", true, "0"},
		{"65534", false, "65534"},
		{"weird", true, ""},
		{"bad line", true, ""},
		{"missing", true, ""},
		{"nobody", false, ""},
	}
	for _, c := range cases {
		e, ok := lookup(passwd, c.key, c.byName)
		if got := ""; ok {
			got = e[2]
			if got != c.want {
				t.Errorf("lookup(%q, %v) = %v, want uid %q", c.key, c.byName, e, c.want)
			}
		} else if c.want != "" {
			t.Errorf("lookup(%q, %v) found nothing, want uid %q", c.key, c.byName, c.want)
		}
	}
}

// Users that need nothing of the image: no engine is asked.
func TestResolveNumericUser(t *testing.T) {
	d := &docker{}
	for user, want := range map[string][2]int{"": {0, 0}, "1000:100": {1000, 100}, "0:0": {0, 0}} {
		uid, gid, err := d.resolveUser(context.Background(), "unused", user)
		if err != nil || uid != want[0] || gid != want[1] {
			t.Errorf("resolveUser(%q) = %d, %d, %v; want %v", user, uid, gid, err, want)
		}
	}
	if _, _, err := d.resolveUser(context.Background(), "unused", "-1:-1"); err == nil {
		t.Error("a negative uid is accepted")
	}
}

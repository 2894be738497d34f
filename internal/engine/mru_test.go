package engine

import (
	"strconv"
	"testing"
)

// TestMRU: what was asked for last stays; the least recently used goes
// once more than recentDocs are kept; a dropped key is gone.
func TestMRU(t *testing.T) {
	var c mru[int]
	for i := 0; i < recentDocs; i++ {
		c.put(strconv.Itoa(i), i)
	}
	if v, ok := c.get("0"); !ok || v != 0 {
		t.Fatalf("get 0: %d %v", v, ok)
	}
	c.put("new", -1) // "1" is now the least recently used
	if _, ok := c.get("1"); ok {
		t.Fatal("the least recently used was kept past the bound")
	}
	if _, ok := c.get("0"); !ok {
		t.Fatal("the one asked for last was dropped")
	}
	c.drop("0", "new")
	if _, ok := c.get("0"); ok {
		t.Fatal("a dropped key was kept")
	}
	if v, ok := c.get("2"); !ok || v != 2 || len(c.kept) != recentDocs-2 {
		t.Fatalf("get 2: %d %v, %d kept", v, ok, len(c.kept))
	}
}

// TestMRUPutReplaces: putting a key kept already (two callers that both
// missed it) replaces its value, and takes no second place of the bound.
func TestMRUPutReplaces(t *testing.T) {
	var c mru[int]
	c.put("a", 1)
	c.put("b", 2)
	c.put("a", 3)
	if v, ok := c.get("a"); !ok || v != 3 || len(c.kept) != 2 {
		t.Fatalf("get a: %d %v, %d kept; want 3, 2 kept", v, ok, len(c.kept))
	}
}

package cgroup

import "testing"

// TestGroupIn: the cgroup /proc/PID/cgroup puts a process in is named when
// it is one of the instance's (v1: in a hierarchy of the instance; v2: the
// unified one), and only then.
func TestGroupIn(t *testing.T) {
	v1 := map[string]string{"memory": "/sys/fs/cgroup/memory/borges-x1", "cpu": "/sys/fs/cgroup/cpu/borges-x1"}
	v2 := map[string]string{"": "/sys/fs/cgroup/system.slice/borges-x1"}
	for _, c := range []struct {
		text string
		dirs map[string]string
		want string
	}{
		{"12:pids:/\n4:memory:/borges-x1/d.b.0.1\n3:cpu,cpuacct:/borges-x1/d.b.0.1\n0::/\n", v1, "d.b.0.1"},
		{"4:memory:/user.slice/borges-x1/d.b.0.7\n", v1, "d.b.0.7"},
		{"4:memory:/borges-other/d.b.0.1\n", v1, ""},
		{"4:memory:/borges-x1\n", v1, ""},
		{"1:name=systemd:/borges-x1/d.b.0.1\n", v1, ""},
		{"0::/system.slice/borges-x1/d.b.0.2\n", v2, "d.b.0.2"},
		{"0::/system.slice/borges-server\n", v2, ""},
		{"", v1, ""},
	} {
		if got := groupIn(c.text, c.dirs); got != c.want {
			t.Errorf("groupIn(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

package plan

import (
	"errors"
	"strings"
	"testing"
)

// TestUnboundedRequests: values that are not finite numbers, or that ask
// for more than a block or a document may, are each one problem naming
// the line and the header argument (the block starts on line 3).
func TestUnboundedRequests(t *testing.T) {
	cases := []struct {
		header, want string
	}{
		{":cpu NaN", `line 3: block "x": :cpu: "NaN" is not a positive number of CPUs`},
		{":cpu nan", `line 3: block "x": :cpu: "nan" is not a positive number of CPUs`},
		{":cpus Inf", `line 3: block "x": :cpus: "Inf" is not a positive number of CPUs`},
		{":cpu +Inf", `line 3: block "x": :cpu: "+Inf" is not a positive number of CPUs`},
		{":cpu infinity", `line 3: block "x": :cpu: "infinity" is not a positive number of CPUs`},
		{":cpu 0x1p3", `line 3: block "x": :cpu: "0x1p3" is not a positive number of CPUs`},
		{":cpu 1e400", `line 3: block "x": :cpu: "1.0e+INF" is not a positive number of CPUs`},
		{":cpu 0.0e+NaN", `line 3: block "x": :cpu: "0.0e+NaN" is not a positive number of CPUs`},
		{":mem NaN", `line 3: block "x": :mem: "NaN" is not a memory size (MB, or with a unit: 512M, 2G)`},
		{":mem Inf", `line 3: block "x": :mem: "Inf" is not a memory size (MB, or with a unit: 512M, 2G)`},
		{":mem 1e400", `line 3: block "x": :mem: "1.0e+INF" is not a memory size (MB, or with a unit: 512M, 2G)`},
		{":mem " + strings.Repeat("9", 400), `line 3: block "x": :mem: "` + strings.Repeat("9", 400) + `" is not a memory size (MB, or with a unit: 512M, 2G)`},
		{":disk NaN", `line 3: block "x": :disk: "NaN" is not a disk size (MB, or with a unit)`},
		{":disk infinity", `line 3: block "x": :disk: "infinity" is not a disk size (MB, or with a unit)`},
		{":gpus NaN", `line 3: block "x": :gpus: "NaN" is not a whole number ≥ 0`},
		{":gpus 0x1p3", `line 3: block "x": :gpus: "0x1p3" is not a whole number ≥ 0`},
		{":ports Inf", `line 3: block "x": :ports: "Inf" is not a whole number ≥ 0`},
		{":instances NaN", `line 3: block "x": :instances: "NaN" is not a whole number ≥ 1`},
		{":instances 1e400", `line 3: block "x": :instances: "1.0e+INF" is not a whole number ≥ 1`},
		{":retries NaN", `line 3: block "x": :retries: "NaN" is not a whole number ≥ 0`},
		{":retries infinity", `line 3: block "x": :retries: "infinity" is not a whole number ≥ 0`},
		{":timeout NaN", `line 3: block "x": :timeout: "NaN" is not a duration (30s, 5m, or seconds)`},
		{":timeout Inf", `line 3: block "x": :timeout: "Inf" is not a duration (30s, 5m, or seconds)`},
		{":timeout -Inf", `line 3: block "x": :timeout: "-Inf" is not a duration (30s, 5m, or seconds)`},
		{":timeout 0x1p3", `line 3: block "x": :timeout: "0x1p3" is not a duration (30s, 5m, or seconds)`},
		{":timeout 1e400", `line 3: block "x": :timeout: "1.0e+INF" is not a duration (30s, 5m, or seconds)`},
		{":timeout 1e300", `line 3: block "x": :timeout: "1e+300" is longer than Borges can count (292 years)`},
		{":ports 20000", `line 3: block "x": :ports: asks for 20000 ports; a block may have at most 100 (#+borges_max_ports)`},
		{":ports 101", `line 3: block "x": :ports: asks for 101 ports; a block may have at most 100 (#+borges_max_ports)`},
		{":instances 1000000", `line 3: block "x": :instances: asks for 1000000 instances; a block may have at most 1000 (#+borges_max_instances)`},
		{":instances 1001", `line 3: block "x": :instances: asks for 1001 instances; a block may have at most 1000 (#+borges_max_instances)`},
	}
	for _, c := range cases {
		t.Run(c.header, func(t *testing.T) {
			doc := "#+title: t\n\n#+name: x\n" + block("sh "+c.header, "true")
			_, err := Build(mustParse(t, doc), Limits{}, DefaultOptions)
			var rej *RejectError
			if !errors.As(err, &rej) {
				t.Fatalf("accepted; want %s", c.want)
			}
			if len(rej.Problems) != 1 || rej.Problems[0].String() != c.want {
				t.Fatalf("problems:\n%v\nwant:\n%s", err, c.want)
			}
		})
	}
}

// TestFiniteValuesStillRead: what Emacs prints as numbers still reads.
func TestFiniteValuesStillRead(t *testing.T) {
	doc := "#+name: x\n" + block("sh :cpu 1e-1 :mem 1.5G :disk 10 :ports 100 :instances 1000 :retries 3 :timeout 1.5 :gpus 0", "true")
	p, err := Build(mustParse(t, doc), Limits{}, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	task := p.Tasks[0]
	if task.Resources.CPUs != 0.1 || task.Resources.MemMB != 1536 || task.Resources.Ports != 100 || task.Instances != 1000 ||
		task.Timeout.Seconds() != 1.5 {
		t.Fatalf("task = %+v", task)
	}
}

// TestLimitsAreSettable: the limits come from the options.
func TestLimitsAreSettable(t *testing.T) {
	opts := DefaultOptions
	opts.MaxPorts, opts.MaxInstances = 3, 5
	doc := "#+name: x\n" + block("sh :ports 4 :instances 6", "true")
	_, err := Build(mustParse(t, doc), Limits{}, opts)
	for _, want := range []string{
		`line 1: block "x": :ports: asks for 4 ports; a block may have at most 3 (#+borges_max_ports)`,
		`line 1: block "x": :instances: asks for 6 instances; a block may have at most 5 (#+borges_max_instances)`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("rejection %v lacks %s", err, want)
		}
	}
	if _, err := Build(mustParse(t, "#+name: x\n"+block("sh :ports 3 :instances 5", "true")), Limits{}, opts); err != nil {
		t.Errorf("at the limits: %v", err)
	}
	// Options without limits get the defaults.
	if _, err := Build(mustParse(t, "#+name: x\n"+block("sh :ports 101", "true")), Limits{}, Options{DefaultCPUs: 1}); err == nil {
		t.Errorf(":ports 101 accepted without limits set")
	}
}

// TestTasksADocument: a document holds at most MaxTasks tasks, instances
// counted (and blocks not run); the problem names the block that goes
// over, and planning stops there.
func TestTasksADocument(t *testing.T) {
	opts := DefaultOptions
	opts.MaxTasks = 10
	cases := []struct {
		name, doc, want string
	}{
		{"blocks", strings.Repeat(block("sh", "true"), 11),
			`line 41: block "block-11": the document has more than 10 tasks (instances counted); a document may have at most 10 (#+borges_max_tasks)`},
		{"instances", block("sh :instances 4", "true") + "#+name: many\n" + block("sh :instances 7", "true"),
			`line 5: block "many": :instances: the document has more than 10 tasks (instances counted); a document may have at most 10 (#+borges_max_tasks)`},
		{"nothing planned past the limit", strings.Repeat(block("sh", "true"), 11) + strings.Repeat(block("sh :cpu -1", "true"), 1000),
			`line 41: block "block-11": the document has more than 10 tasks (instances counted); a document may have at most 10 (#+borges_max_tasks)`},
		{"blocks not run count too", strings.Repeat(block("haskell", "1"), 10) + block("sh", "true"),
			`line 41: block "block-11": the document has more than 10 tasks (instances counted); a document may have at most 10 (#+borges_max_tasks)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Build(mustParse(t, c.doc), Limits{}, opts)
			var rej *RejectError
			if !errors.As(err, &rej) || len(rej.Problems) != 1 || rej.Problems[0].String() != c.want {
				t.Fatalf("got %v\nwant %s", err, c.want)
			}
		})
	}
	if _, err := Build(mustParse(t, strings.Repeat(block("sh", "true"), 10)), Limits{}, opts); err != nil {
		t.Fatalf("10 tasks: %v", err)
	}
}

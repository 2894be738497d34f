package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/wallyqs/borges/internal/client"
	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

func init() {
	register("parse", command{
		summary: "print each source block of an Org file as Babel reads it, one JSON object a line",
		run:     runParse,
	})
}

const parseUsage = "usage: borges parse FILE"

func runParse(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	if ok, code := parseOrHelp(fs, args, parseUsage, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() != 1 {
		return badUsage(stderr, parseUsage)
	}
	file := fs.Arg(0)
	// Includes are expanded as `borges submit` expands them, so that this
	// shows what the server would be sent.
	src, err := client.Expand(file)
	if err != nil {
		fmt.Fprintf(stderr, "borges parse: %v\n", err)
		return 2
	}
	doc, err := org.Parse(src.Text)
	if err != nil {
		fmt.Fprintf(stderr, "borges parse: %s: %v\n", file, err)
		return 2
	}
	w := bufio.NewWriter(stdout)
	for _, b := range doc.Blocks {
		line, err := blockJSON(b, src, file)
		if err != nil {
			fmt.Fprintf(stderr, "borges parse: %v\n", err)
			return 1
		}
		w.Write(line)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "borges parse: %v\n", err)
		return 1
	}
	return 0
}

// blockJSON renders one block with its fields in a fixed order and args in
// Babel's order (a Go map would sort them).
// Its line is the line in the user's files: "file" is added when that is
// an included file, not the one parsed. An unnamed block is named
// "block-N" as everywhere else in Borges, with "unnamed":true.
func blockJSON(b *org.Block, src *client.Source, file string) ([]byte, error) {
	var buf bytes.Buffer
	str := func(s string) {
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.Encode(s)
		buf.Truncate(buf.Len() - 1) // Encode adds a newline
	}
	line, from := b.Line, file
	if o, ok := src.Where(b.Line); ok {
		line, from = o.Line, o.File
	}
	fmt.Fprintf(&buf, `{"line":%d,`, line)
	if from != file {
		buf.WriteString(`"file":`)
		str(from)
		buf.WriteByte(',')
	}
	buf.WriteString(`"name":`)
	str(plan.BlockName(b))
	if b.Name == "" {
		buf.WriteString(`,"unnamed":true`)
	}
	buf.WriteString(`,"lang":`)
	str(b.Lang)
	if b.Switches != "" {
		buf.WriteString(`,"switches":`)
		str(b.Switches)
	}
	buf.WriteString(`,"body":`)
	str(b.Body)
	buf.WriteString(`,"args":{`)
	for i, a := range b.Args {
		if i > 0 {
			buf.WriteByte(',')
		}
		str(a.Key)
		buf.WriteByte(':')
		str(a.Value)
	}
	buf.WriteString(`},"vars":[`)
	for i, v := range b.Vars {
		if i > 0 {
			buf.WriteByte(',')
		}
		str(v)
	}
	buf.WriteByte(']')
	if b.Problem != "" {
		buf.WriteString(`,"error":`)
		str(b.Problem)
	}
	buf.WriteByte('}')
	if !json.Valid(buf.Bytes()) {
		return nil, fmt.Errorf("line %d: could not render the block as JSON", b.Line)
	}
	return buf.Bytes(), nil
}

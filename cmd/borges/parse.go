package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/wallyqs/borges/internal/org"
)

func init() {
	register("parse", command{
		summary: "print each source block of an Org file as Babel reads it, one JSON object a line",
		run:     runParse,
	})
}

func runParse(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) != 1 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stderr, "usage: borges parse FILE")
		return 2
	}
	text, err := os.ReadFile(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "borges parse: %v\n", err)
		return 2
	}
	doc, err := org.Parse(string(text))
	if err != nil {
		fmt.Fprintf(stderr, "borges parse: %s: %v\n", args[0], err)
		return 2
	}
	w := bufio.NewWriter(stdout)
	for _, b := range doc.Blocks {
		line, err := blockJSON(b)
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
func blockJSON(b *org.Block) ([]byte, error) {
	var buf bytes.Buffer
	str := func(s string) {
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.Encode(s)
		buf.Truncate(buf.Len() - 1) // Encode adds a newline
	}
	fmt.Fprintf(&buf, `{"line":%d,"name":`, b.Line)
	str(b.Name)
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

package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

// This file reads attempts' outputs for results and references within the
// results cap (#+borges_max_result:), and writes the note over an output
// that was cut, so that every reader of an output keeps to the same cap.

// resultStream is where a task's result is: its value for a Python block
// in value mode, else its standard output.
func resultStream(t *plan.Task) string {
	if t != nil && t.ValueFile {
		return "value"
	}
	return "stdout"
}

// readResult reads task t's result from an attempt whole, up to the
// results cap, as its language's Babel has it (plan.ResultText).
func (e *Engine) readResult(attemptID string, t *plan.Task) string {
	return plan.ResultText(t, e.readAll(attemptID, resultStream(t)))
}

// DefaultMaxResult is what is read of one block's output for its results
// unless configured: write-back is linear (about 3 bytes allocated a byte
// of output), and 16 MiB formatted as Babel does answers within a second.
const DefaultMaxResult = 16 << 20

// readAll reads a stream of an attempt whole, up to the results cap.
func (e *Engine) readAll(attemptID string, stream ...string) string {
	which := "stdout"
	if len(stream) > 0 {
		which = stream[0]
	}
	out, _ := e.readCapped(attemptID, which, e.cfg.MaxResultBytes)
	return out
}

// readCapped reads at most max bytes of a stream of an attempt, and says
// how large the stream is (more than len(out) when it was cut). A read
// that fails ends it: what was read until then (readCappedErr).
func (e *Engine) readCapped(attemptID, stream string, max int) (out string, size int64) {
	out, size, _ = e.readCappedErr(attemptID, stream, max)
	return out, size
}

// readCappedErr is readCapped, with the backend's error when a read
// failed (what was read before it is kept).
func (e *Engine) readCappedErr(attemptID, stream string, max int) (out string, size int64, err error) {
	return e.readCappedCtx(context.Background(), attemptID, stream, max)
}

// readCappedCtx is readCappedErr, each read under ctx (a deadline).
func (e *Engine) readCappedCtx(ctx context.Context, attemptID, stream string, max int) (out string, size int64, err error) {
	if attemptID == "" {
		return "", 0, nil
	}
	var buf []byte
	var off int64
	for len(buf) < max {
		var data []byte
		var n int64
		data, n, err = e.backend.ReadLog(ctx, attemptID, stream, off, min(1<<20, max-len(buf)))
		size = max64(size, n)
		if err != nil || len(data) == 0 {
			break
		}
		buf = append(buf, data...)
		off += int64(len(data))
		if off >= n {
			break
		}
	}
	return string(buf), max64(size, int64(len(buf))), err
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

// truncatedNote is the note over the results of an output longer than
// the results cap: the part kept ends at its last line break, and is
// shown verbatim (a table of part of the lines would mislead).
func truncatedNote(out string, size int64) (string, string) {
	if i := strings.LastIndexByte(out, '\n'); i >= 0 {
		out = out[:i+1]
	}
	return out, fmt.Sprintf("borges: output truncated: the first %s of %s are shown (#+borges_max_result:)",
		FormatSize(int64(len(out))), FormatSize(size))
}

// defaultScanMax is the most bytes of a block's output scanUnencodable
// reads. The scan is bounded by the try's timeout too, but a slow backend
// (a cluster's log reads) would spend the whole of it, each try, on an
// output of gigabytes; past this size the stop is said not known at once
// (ResultStopUnread), as for a read that fails.
const defaultScanMax = 256 << 20

// errScanTooLong is scanUnencodable's error for output past e.cfg.scanMax.
var errScanTooLong = errors.New("output past the bytes read for what utf-8-unix cannot encode")

// scanUnencodable reports whether the output of attemptID's stream, of
// size bytes, whose first bytes are out, holds what utf-8-unix cannot
// encode (org.Unencodable), reading the rest a piece at a time, each
// read under ctx; err is the backend's, where a read failed (the output
// ending early, ReadLog giving nothing, is one too: what it held is not
// known), or errScanTooLong, not read, past e.cfg.scanMax bytes.
func (e *Engine) scanUnencodable(ctx context.Context, attemptID, stream, out string, size int64) (found bool, err error) {
	if size > e.cfg.scanMax {
		return false, errScanTooLong
	}
	var scan org.UnencodableScan
	scan.Add([]byte(out))
	for off := int64(len(out)); off < size; {
		data, _, err := e.backend.ReadLog(ctx, attemptID, stream, off, int(min(1<<20, size-off)))
		if err != nil {
			return false, err
		}
		if len(data) == 0 {
			return false, io.ErrUnexpectedEOF
		}
		scan.Add(data)
		off += int64(len(data))
	}
	return scan.Found(), nil
}

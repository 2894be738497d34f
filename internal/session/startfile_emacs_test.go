package session

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

// TestStartFileTextAgainstEmacs holds FileText to what Emacs 28.2
// sends a shell of a start file, in the UTF-8 locale of the differential
// tests: each file read as comint-exec reads it (insert-file-contents)
// and encoded in the coding system Emacs gives a new process
// (default-process-coding-system), byte for byte.
func TestStartFileTextAgainstEmacs(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	files := []string{
		"",
		"echo hi\n",
		"A=caf\xc3\xa9\n",             // UTF-8
		"A=caf\xe9\n",                 // Latin-1
		"A=caf\xc3\xa9 \xff\xfe x\n",  // not UTF-8: Latin-1, the UTF-8 pair too
		"A=\xe9\xe8\xe0\xfc\xdf\n",    // Latin-1 letters
		"A=a\x85b\x9f\n",              // C1 bytes: raw-text
		"A=caf\xe9 \x85\n",            // Latin-1 and a C1 byte: raw-text
		"A=\xc3\xa9 \x85\n",           // UTF-8 and a C1 byte
		"A=a\xe9\x00b\n",              // a NUL: no-conversion
		"A=1\r\nB=2\x00\r\n",          // a NUL: line ends as they are
		"\xef\xbb\xbfA=caf\xc3\xa9\n", // a UTF-8 BOM
		"\xef\xbb\xbfA=1\r\nB=2\r\n",  // a UTF-8 BOM, DOS line ends
		"A=a\x1b[31mb caf\xe9\n",      // an escape that is not ISO 2022's
		"A=1\r\nB=2\r\n",              // DOS
		"A=caf\xe9\r\nB=2\r\n",        // DOS, Latin-1
		"A=1\rB=2\r",                  // Mac
		"A=caf\xe9\rB=\xe8\r",         // Mac, Latin-1
		"A=1\r\nB=2\n",                // CRLF then LF: as it is
		"A=1\nB=2\r\n",                // LF then CRLF: as it is
		"A=1\r\na\rb\r\nC=3\r\n",      // CRLF and a stray CR: DOS
		"A=1\ra\r\nC=3\r\n",           // CR then CRLF: DOS
		"A=1\r\nB=2\r\nC=3\r\nD=4\n",  // the first three line ends decide: DOS
		"A=1\r\nB=2\r\nC=3\nD=4\r\n",  // LF among the first three
		"A=1\rB=2\rC=3\rD=4\nE=5\r",   // three CRs first: Mac, the LF kept
		"A=1\rB=2\nC=3\r",             // CR then LF
		"no line end",
		"trailing CR\r",
		"caf\xe9",         // cut short at the end: UTF-8, the byte kept
		"caf\xc3",         // the first of two bytes
		"caf\xe2\x82",     // two of three
		"caf\xf0\x9f\x98", // three of four
		"caf\xe9\n",       // Latin-1
		"caf\xe9 x",       // Latin-1
		"caf\xc3\xa9\xe9", // UTF-8 and a cut sequence
		"caf\xe9\xe9",     // Latin-1
		"\xa9x\xe9",       // Latin-1
		// Emacs's UTF-8 detection (detect_coding_utf_8): any byte from
		// 0x80 at the end starts a sequence cut short; its leading
		// bytes are UTF-8's shapes, loosely (surrogates, past U+10FFFF),
		// other bytes from 0x80 followed by four continuation bytes at
		// most, the text ending there.
		"val\xff",                // a byte no sequence starts, last
		"\xff",                   // alone
		"x\xfe\xbf",              // and a continuation byte
		"a\xbf",                  // a continuation byte, last
		"a\xed\xb0\xa0b",         // a surrogate
		"a\xf5\xa0\xa0\xa0b",     // past U+10FFFF
		"a\xf8\xa0\xa0\xa0\xa0b", // five bytes
		"a\xfc\xa0\xa0\xa0\xa0b", // 0xFC: Latin-1
		"a\xff\xa0\xa0\xa0\xa0",  // 0xFF and four: Latin-1
		"a\xff\xa0\xa0\xa0",      // 0xFF and three, last: UTF-8
		"a\xff\xa0b",             // 0xFF, not last: Latin-1
		// Overlong sequences: detected as UTF-8, the text whole is
		// taken as Emacs's own form (C0 AF the raw byte AF, E0 80 AF
		// "/"); a sequence cut short at the end makes it decoded, the
		// overlong sequences' bytes kept.
		"a\xc0\xafb",                          // the raw byte AF
		"a\xc1\xbfb",                          // the raw byte FF
		"a\xc0\x80b",                          // the raw byte 80
		"a\xe0\x80\xafb",                      // "/"
		"a\xe0\x9f\xbfb",                      // U+07FF
		"a\xf0\x80\x80\xafb",                  // "/"
		"a\xf0\x8f\xbf\xbfb",                  // U+FFFF
		"a\xf8\x80\x80\x80\xafb",              // "/"
		"a\xf8\x88\x80\x80\x80b",              // 0x200000
		"caf\xc3\xa9 a\xc0\xafb \xed\xa0\x80", // with UTF-8 and a surrogate
		"a\xc0\xafb\xe9",                      // cut short at the end
		"a\xe0\x80\xafb\xc3",                  // cut short at the end
		"a\xc0\xafb\r\nc\r\n",                 // DOS line ends
		"\xef\xbb\xbfa\xc0\xafb",              // a BOM
	}
	dir := t.TempDir()
	var forms []string
	for i, f := range files {
		in := filepath.Join(dir, fmt.Sprintf("in%d", i))
		if err := os.WriteFile(in, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
		forms = append(forms, fmt.Sprintf(`(let ((coding-system-for-write 'no-conversion))
  (write-region (encode-coding-string (with-temp-buffer (insert-file-contents %q) (buffer-string))
                                      (cdr default-process-coding-system))
                nil %q))`, in, filepath.Join(dir, fmt.Sprintf("out%d", i))))
	}
	cmd := exec.Command(emacs, "-Q", "--batch", "--eval", "(progn "+strings.Join(forms, "\n")+")")
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("emacs: %v\n%s", err, out)
	}
	for i, f := range files {
		want, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("out%d", i)))
		if err != nil {
			t.Fatal(err)
		}
		if got := FileText([]byte(f)); string(got) != string(want) {
			t.Errorf("%q: got %q, Emacs sends %q", f, got, want)
		}
	}
}

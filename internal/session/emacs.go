package session

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Emacs is the kind of the document's Emacs: the Emacs Lisp blocks of a
// document (and the Lisp :var values of its other blocks), which
// org-babel-execute-buffer evaluates one after the other in one Emacs,
// so that what one block defines (defun, setq, defvar, require) the
// next sees. Babel has no session for them: the plan makes one, and
// each request is a program the host evaluates whole (the block, as
// ob-emacs-lisp evaluates it, with its value printed as Babel first sees
// it), whose last form's value, a string, is the block's value.
const Emacs Kind = "emacs"

// BufferFile is the file of an attempt of the document's Emacs that holds
// the report of its Org buffer (Output.Buffer), beside its "value": the
// backends write it when there is one, write-back reads the latest.
const BufferFile = ".borges-emacs-buffer"

// ErrSignalled is returned when an Emacs Lisp block signalled an error:
// the block failed, and the Emacs that ran it goes on (what the blocks
// before it defined is still there for the blocks after it).
//
//lint:ignore ST1005 "Emacs Lisp" is a name: the users read it first in a block's failure.
var ErrSignalled = errors.New("Emacs Lisp error")

// ErrLispVarSignalled is ErrSignalled for the error one of an Emacs Lisp
// block's own Lisp :var values signalled in its program (the condition
// borges--lisp-var-error, plan's elispProgram): the host replies to it
// with a letter of its own ("l"), which no error of the block's body
// can make, its message after this one's.
var ErrLispVarSignalled = fmt.Errorf("%w, evaluating a Lisp :var value", ErrSignalled)

// ErrProtocol is returned for a reply of the document's Emacs that this
// Borges cannot read (a host of another version, a report cut): the
// Emacs is alive, so the block fails (Failed) and its session is
// stopped, rather than waited for as one that ended (ErrEnded).
var ErrProtocol = errors.New("a reply of the document's Emacs that this Borges cannot read")

// emacsHost is the program of the document's Emacs (emacs -Q --batch
// --eval): it reads requests (the program, UTF-8, in base64, in lines of
// 76 characters and an empty line after them: a terminal's line
// discipline passes no line longer than 4095 bytes, and a program carries
// the whole document) from its standard input as batch Emacs reads the
// minibuffer,
// evaluates each program's forms in order with lexical binding (as a
// file with lexical-binding: t is loaded) and writes a frame after it:
// frameMark, the length of what follows and "v" and the value, or "e"
// and the error's message (also said as batch Emacs says an error that
// ends it, on its standard error), that after "b", the length of a
// report of the document's Org buffer (bufferReport in plan), a newline
// and the report when the program changed that buffer; the frame's text
// is preceded by how the Emacs's environment then differs from the one
// it started with, and its shell-file-name from the one it started with
// (emacsEnvReport). The host's own names are lexical:
// the blocks see none of them. At the end of its input it exits.
const emacsHost = `(let ((borges-mark "\036\036BORGES-SESSION-END ")
      (borges-env0 (copy-sequence process-environment))
      (borges-shell0 shell-file-name))
  (while t
    (let ((borges-lines nil)
          (borges-line nil)
          (borges-reply nil))
      (while (not (equal "" (setq borges-line (condition-case nil (read-from-minibuffer "") (error (kill-emacs 0))))))
        (push borges-line borges-lines))
      (condition-case borges-err
          (let* ((borges-program (decode-coding-string (base64-decode-string (apply #'concat (nreverse borges-lines))) 'utf-8-unix t))
                 (borges-value (eval (car (read-from-string (concat "(progn\n" borges-program "\n)"))) t)))
            (setq borges-reply (concat "v" (if (stringp borges-value) borges-value (prin1-to-string borges-value)))))
        (error
         (setq borges-reply (if (and (eq (car borges-err) 'borges--lisp-var-error) (stringp (car-safe (cdr borges-err))))
                                (concat "l" (cadr borges-err))
                              (concat "e" (error-message-string borges-err))))
         (message "%s" (substring borges-reply 1))))
      (let ((borges-buffer
             (and (fboundp 'borges--report)
                  (condition-case borges-err (funcall 'borges--report)
                    (error (message "borges: the Org buffer of the document could not be reported: %s" (error-message-string borges-err)) nil)))))
        (when borges-buffer
          (setq borges-reply (concat "b" (number-to-string (length (encode-coding-string borges-buffer 'utf-8-unix))) "\n"
                                     borges-buffer borges-reply))))
      (let ((borges-bytes (encode-coding-string (concat ` + emacsEnvReport + ` borges-reply) 'utf-8-unix)))
        (send-string-to-terminal
         (concat borges-mark (number-to-string (length borges-bytes)) "\n" borges-bytes))))))`

// emacsCommand is the command of the document's Emacs, from the batch
// Emacs command of a block (emacs and its first arguments).
func emacsCommand(interp []string) []string {
	emacs := "emacs"
	if len(interp) > 0 {
		emacs = interp[0]
	}
	return []string{emacs, "-Q", "--batch", "--eval", emacsHost}
}

// emacsRequest is a program as the host reads it: base64 in lines of 76
// characters, then an empty line.
func emacsRequest(r Request) []byte {
	enc := base64.StdEncoding.EncodeToString([]byte(r.Body))
	req := make([]byte, 0, len(enc)+len(enc)/76+2)
	for len(enc) > 76 {
		req = append(append(req, enc[:76]...), '\n')
		enc = enc[76:]
	}
	if enc != "" {
		req = append(append(req, enc...), '\n')
	}
	return append(req, '\n')
}

// evalEmacs sends a program to the document's Emacs and reads its
// value, or the error it signalled (ErrSignalled, with the transcript:
// what the block printed, the error's message last).
func (c *Conn) evalEmacs(ctx context.Context, r Request) (Reply, error) {
	c.setLive(r.Live, "")
	defer c.setLive(nil, "")
	if _, err := c.in.Write(emacsRequest(r)); err != nil {
		return Reply{}, fmt.Errorf("%w: %v", ErrEnded, err)
	}
	transcript, value, err := c.frame(ctx)
	if err != nil {
		return Reply{}, err
	}
	return emacsReply(transcript, value)
}

// emacsReply reads a reply of the document's Emacs (after the
// transcript): its environment report (cutEnvironment), the report of
// its buffer, and its value or error. A reply in none of these forms
// comes from a host of another version of Borges, whose report this one
// must not guess at.
func emacsReply(transcript string, value []byte) (Reply, error) {
	env, value := cutEnvironment(value)
	reply := Reply{Transcript: transcript, Env: env}
	mismatch := fmt.Errorf("%w: its host is of another version of Borges (the server's and the executor's must be the same)", ErrProtocol)
	if len(value) == 0 || !strings.ContainsRune("bvel", rune(value[0])) {
		return reply, mismatch
	}
	if value[0] == 'b' {
		size, rest, ok := strings.Cut(string(value[1:]), "\n")
		n, err := strconv.Atoi(size)
		if !ok || err != nil || n < 0 || n > len(rest) {
			return reply, fmt.Errorf("%w: its report of its buffer is cut", ErrProtocol)
		}
		reply.Buffer, value = rest[:n], []byte(rest[n:])
		if len(value) == 0 || !strings.ContainsRune("vel", rune(value[0])) {
			return reply, mismatch
		}
	}
	if value[0] == 'v' {
		reply.Result = string(value[1:])
		return reply, nil
	}
	msg := "(no message)"
	if len(value) > 1 {
		msg = string(value[1:])
	}
	if value[0] == 'l' {
		return reply, fmt.Errorf("%w: %s", ErrLispVarSignalled, msg)
	}
	return reply, fmt.Errorf("%w: %s", ErrSignalled, msg)
}

;;; borges.el --- Run Org Babel documents on a Borges server  -*- lexical-binding: t -*-

;; Copyright (C) 2026 The Borges authors

;; Author: The Borges authors
;; Version: 0.2
;; Package-Requires: ((emacs "27.2"))
;; URL: https://github.com/wallyqs/borges
;; Keywords: outlines, processes, tools

;; This file is not part of GNU Emacs.

;;; Commentary:

;; Borges runs every source block of an Org document as a task (on the
;; server's machine, in containers, or on a Mesos cluster) and writes
;; each block's results back as Babel writes them.  This package is its
;; Emacs client: the buffer you are in goes to the server, and results
;; come back into it, block by block, as each block finishes.  Sending,
;; following, the status buffer and logs are asynchronous: Emacs is not
;; blocked while blocks run.  The few commands that need the server's
;; answer to go on (results, files, kill, restart) wait for it, at most
;; `borges-request-timeout' seconds.
;;
;; Setup:
;;
;;   (require 'borges)                       ; or let package.el autoload
;;   (add-hook 'org-mode-hook #'borges-mode-maybe)
;;
;; `borges-mode-maybe' turns on `borges-mode' in Org buffers that have a
;; #+borgesaddress: keyword; M-x borges-mode turns it on in any buffer.
;;
;; With `borges-mode' on, C-c C-c on a source block runs that block
;; (and the blocks it depends on through :var, :after and noweb calls)
;; on Borges: a placeholder result appears at once and is replaced in
;; place when the block finishes.  A block with `:borges no' runs in
;; Emacs as usual; a block with `:borges yes' runs on Borges even where
;; the mode is off (once this package is loaded).  Babel's C-c C-v b sends the whole buffer as one
;; document.  The mode line shows the document's progress ("Borges: 3/7
;; running"); results are written in place as each block finishes, even
;; if the buffer has been edited meanwhile.
;;
;; Keys (under `borges-mode-prefix-key', C-c b by default):
;;
;;   s  `borges-submit'         send the buffer; results arrive per block
;;   b  `borges-submit-block'   send the block at point and its dependencies
;;   t  `borges-status'         the status buffer (g refresh, RET visit the
;;                              block, l log, k kill, r restart)
;;   l  `borges-log'            the output of the block at point, followed
;;                              (stderr with C-u, or when the block failed)
;;   k  `borges-kill'           kill everything the document runs
;;   r  `borges-restart'        run the block at point again
;;   g  `borges-results'        the whole document with its results
;;   f  `borges-fetch-files'    write the files of :results file blocks
;;
;; #+include: and #+setupfile: are resolved here, before sending, the
;; way the command line's `borges submit' resolves them, so that the
;; server sees the same document; a rejected document lists its problems
;; in *borges problems*, each at its own file and line (`next-error').
;;
;; The server is `borges-address', or the buffer's #+borgesaddress:.  A
;; token is `borges-token', else $BORGES_TOKEN, else auth-source (host
;; and port of the address, user "borges"); when the server answers 401
;; you are asked for it once, and it is offered to auth-source.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'url)
(require 'url-http)
(require 'json)
(require 'auth-source)
(require 'org)
(require 'org-element)
(require 'ob-core)
(require 'text-property-search)
(require 'parse-time)

(defvar url-http-end-of-headers)

;;;; Customization

(defgroup borges nil
  "Run Org Babel documents on a Borges server."
  :group 'org
  :prefix "borges-")

(defcustom borges-address "127.0.0.1:8888"
  "Address of the Borges server (host:port or a URL).
A buffer's #+borgesaddress: keyword takes precedence."
  :type 'string)

(defcustom borges-token nil
  "Bearer token for the Borges server, or nil.
When nil, $BORGES_TOKEN is used, else auth-source."
  :type '(choice (const :tag "None" nil) string))

(defcustom borges-results-fetch-files t
  "Whether the files :results file blocks link to are written too.
They are written next to the buffer's file, as Babel would have, when
such a block's result arrives, and when `borges-results' replaces the
buffer's text."
  :type 'boolean)

(defcustom borges-poll-interval 1.0
  "Seconds between two looks at a running document."
  :type 'number)

(defcustom borges-request-timeout 30
  "Seconds a command waiting for an answer of the server waits at most."
  :type 'number)

(defcustom borges-confirm-kill t
  "Whether killing a document or a block asks for confirmation first."
  :type 'boolean)

(defcustom borges-program "borges"
  "The Borges program `borges-start' runs."
  :type 'string)

(defcustom borges-start-arguments nil
  "Arguments `borges-start' gives `borges-program' (e.g. -port, -data)."
  :type '(repeat string))

(defcustom borges-mode-prefix-key "C-c b"
  "Prefix key of `borges-mode''s commands, a string `kbd' reads.
Set it before `borges-mode' is first turned on."
  :type 'string)

(defface borges-failed '((t :inherit error))
  "Face of failed and killed blocks in the status buffer.")

(defface borges-finished '((t :inherit success))
  "Face of finished blocks in the status buffer.")

(defface borges-running '((t :inherit warning))
  "Face of running and waiting blocks in the status buffer.")

;;;; State

(defvar-local borges-document-id nil
  "Id of the Borges document last sent from this buffer.")

(defvar-local borges-last-error nil
  "The last error an asynchronous request of this buffer met, or nil.")

(defvar-local borges--runs nil
  "Documents sent from this buffer and followed, newest first.")

(defvar-local borges--progress nil
  "The mode line's progress text for this buffer, or nil.")

(defvar borges--tokens nil
  "Tokens asked for in this session: an alist of (ADDRESS . TOKEN).")

(defconst borges--terminal-states '("finished" "failed" "killed" "lost")
  "States a block or a document does not leave by itself.")

(cl-defstruct (borges--run (:constructor borges--run-create)
                           (:copier nil))
  "A document sent from an Org buffer, followed until it ends."
  id address buffer
  (markers nil :documentation "Alist (LINE . MARKER): a block's line in
the sent text, and where that block is in the buffer.")
  (states (make-hash-table :test 'equal)
          :documentation "Block name -> (STATE . ATTEMPTS) last seen.")
  (pending nil :documentation "Alist (NAME . LINE) of blocks to write.")
  (names nil :documentation "Alist (NAME . LINE) of the blocks followed.")
  (lines nil :documentation "Lines of every block of the sent text, in order.")
  (only nil :documentation "The line of the one block followed, or nil for all.")
  state done total timer busy)

;;;; Addresses, tokens and requests

;; The message is the whole text (as a `user-error''s); the status of
;; the answer, if any, is its text property `borges-status'.
(define-error 'borges-error "" 'user-error)

(defun borges--error (msg status)
  "Signal `borges-error' with MSG, for an answer of STATUS (or nil)."
  (signal 'borges-error (list (propertize msg 'borges-status status))))

(defun borges--address ()
  "The server address for the current buffer."
  (or (and (derived-mode-p 'org-mode)
           (car (cdr (assoc "BORGESADDRESS"
                            (org-collect-keywords '("BORGESADDRESS"))))))
      borges-address))

(defun borges--base-url (address)
  "The base URL of ADDRESS."
  (if (string-match-p "://" address)
      (string-trim-right address "/")
    (concat "http://" address)))

(defun borges--auth-source (address &optional create)
  "A token for ADDRESS from auth-source, as (TOKEN . SAVE-FUNCTION).
With CREATE, auth-source asks for one when it has none."
  (let* ((url (url-generic-parse-url (borges--base-url address)))
         (found (car (auth-source-search :host (url-host url)
                                         :port (number-to-string (url-port url))
                                         :user "borges" :require '(:secret)
                                         :max 1 :create create)))
         (secret (plist-get found :secret)))
    (when secret
      (cons (if (functionp secret) (funcall secret) secret)
            (plist-get found :save-function)))))

(defun borges--token (address)
  "The token to send to ADDRESS, or nil."
  (or borges-token
      (getenv "BORGES_TOKEN")
      (cdr (assoc address borges--tokens))))

(defun borges--authorization (token)
  "The Authorization header for TOKEN (nil for none), as an alist.
It is sent even without a token: url.el, answered 401 to a request
without one, would try to handle the Bearer challenge itself, which it
cannot, and never call back."
  `(("Authorization" . ,(concat "Bearer " (or token "")))))

(defun borges--connection-message (address)
  "What to say when nothing answers at ADDRESS."
  (format "Borges is not answering at %s (is it running? M-x borges-start starts one)"
          address))

(defun borges--problem-text (problem)
  "One line of a rejection for PROBLEM, without its line number."
  (let-alist problem
    (string-join (delq nil (list (and .block (not (string-empty-p .block))
                                      (format "block %s" .block))
                                 (and .arg (not (string-empty-p .arg)) .arg)
                                 .why))
                 ": ")))

(defun borges--failure-message (status text address &optional token)
  "A message for a STATUS answer with body TEXT from ADDRESS.
TOKEN is the token that was sent, if any."
  (let ((json (ignore-errors (borges--json text))))
    (pcase status
      ((and 401 (guard token))
       (format "Borges at %s refused the token (401): check `borges-token', $BORGES_TOKEN or auth-source"
               address))
      (401 (format "Borges at %s wants a token: set `borges-token' or $BORGES_TOKEN, or store it in auth-source (user \"borges\")"
                   address))
      (403 (format "Borges at %s refused the request (403): %s" address
                   (string-trim (or (and (consp json) (alist-get 'error json)) text))))
      (_ (if (and (consp json) (alist-get 'problems json))
             (concat (format "Borges rejected the document (%s):" status)
                     (mapconcat (lambda (p)
                                  (format "\n  line %s: %s" (alist-get 'line p)
                                          (borges--problem-text p)))
                                (alist-get 'problems json) ""))
           (format "Borges at %s: %s %s" address status
                   (string-trim (or (and (consp json) (alist-get 'error json)) text))))))))

(defun borges--json (text)
  "Parse TEXT as JSON into alists and lists."
  (let ((json-object-type 'alist) (json-array-type 'list) (json-key-type 'symbol))
    (json-read-from-string text)))

(cl-defun borges--request (method path &key body accept address callback errback retried)
  "Make a METHOD request for PATH at ADDRESS, asynchronously.
BODY is sent as Org text; ACCEPT is the Accept header.  CALLBACK gets
the answer's text when it is a success; ERRBACK gets a message and the
status (nil when nothing answered) otherwise.  RETRIED is set on the
second try after a 401."
  (let* ((address (or address (borges--address)))
         (token (borges--token address))
         (url-request-method method)
         (url-mime-accept-string (or accept "application/json"))
         (url-request-extra-headers
          (append (and body '(("Content-Type" . "text/org; charset=utf-8")))
                  (borges--authorization token)))
         (url-request-data (and body (encode-coding-string body 'utf-8)))
         (errback (or errback (lambda (msg _status) (message "%s" msg))))
         (answered
          (lambda (status)
            (let ((code (and (boundp 'url-http-response-status)
                             url-http-response-status))
                  text)
              (goto-char (point-min))
              (when (looking-at "HTTP/[0-9.]+ \\([0-9]+\\)")
                (setq code (string-to-number (match-string 1))))
              (setq text (if (re-search-forward "\r?\n\r?\n" nil t)
                             (decode-coding-string
                              (buffer-substring-no-properties (point) (point-max)) 'utf-8)
                           ""))
              (kill-buffer (current-buffer))
              (cond
               ((and (null code) (plist-get status :error))
                (funcall errback (borges--connection-message address) nil))
               ((and code (<= 200 code 299))
                (funcall callback text))
               ((and (eql code 401) (not retried) (borges--find-token address token))
                (borges--request method path :body body :accept accept :address address
                                 :callback callback :errback errback :retried t))
               (t (funcall errback (borges--failure-message code text address token) code)))))))
    (condition-case nil
        (url-retrieve (concat (borges--base-url address) path) answered nil t t)
      (error (funcall errback (borges--connection-message address) nil)))))

(defun borges--find-token (address sent)
  "Find a token for ADDRESS other than SENT; return non-nil when found.
It comes from auth-source, or is asked for once (and offered to
auth-source) when Emacs is interactive."
  (let ((found (or (borges--auth-source address)
                   (and (not noninteractive)
                        (let ((auth-source-creation-prompts
                               '((secret . "Borges token for %h:%p: "))))
                          (borges--auth-source address t))))))
    (when (and found (not (equal (car found) sent)))
      (setf (alist-get address borges--tokens nil nil #'equal) (car found))
      (when (functionp (cdr found))
        (ignore-errors (funcall (cdr found))))
      t)))

(defun borges--call (method path &rest args)
  "Make a METHOD request for PATH and wait for its answer's text.
ARGS are `borges--request''s keywords but for its callbacks.  Emacs
keeps running while it waits, `borges-request-timeout' seconds at most."
  (let ((deadline (+ (float-time) borges-request-timeout))
        done text failure)
    (apply #'borges--request method path
           :callback (lambda (answer) (setq text answer done t))
           :errback (lambda (msg status) (setq failure (cons msg status) done t))
           args)
    (while (and (not done) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (cond (failure (borges--error (car failure) (cdr failure)))
          ((not done) (borges--error
                       (format "Borges did not answer within %s s" borges-request-timeout) nil))
          (t text))))

(defun borges--id ()
  "The document id of this buffer, asking if none was sent."
  (or borges-document-id
      (setq borges-document-id (read-string "Borges document id: "))))

(defun borges--forget (buffer id)
  "Forget document ID in BUFFER: the server does not know it."
  (when (buffer-live-p buffer)
    (with-current-buffer buffer
      (when (equal borges-document-id id)
        (setq borges-document-id nil))
      (dolist (run borges--runs)
        (when (equal (borges--run-id run) id)
          (borges--stop run)))
      (setq borges--runs (cl-remove id borges--runs :key #'borges--run-id :test #'equal)))))

(defmacro borges--with-id-call (id &rest body)
  "Run BODY, forgetting ID in this buffer when the server answers 404."
  (declare (indent 1) (debug t))
  (let ((err (make-symbol "err")) (buf (make-symbol "buf")))
    `(let ((,buf (current-buffer)))
       (condition-case ,err
           (progn ,@body)
         (borges-error
          (if (eql (get-text-property 0 'borges-status (nth 1 ,err)) 404)
              (progn
                (borges--forget ,buf ,id)
                (borges--error (format "Borges has no document %s (forgotten here): %s"
                                       ,id (nth 1 ,err))
                               404))
            (signal (car ,err) (cdr ,err))))))))

;;;; Resolving #+include: and #+setupfile: (as `borges submit' does)

;; This is internal/client/include.go (Expand), function for function:
;; the text of Org 9.5's `org-export-expand-include-keyword', plus what
;; Borges adds (the settings of a setup file, refusals, and where each
;; line comes from).  Org's own function is not called: the Org of this
;; Emacs may expand otherwise than 9.5, it fetches URLs, and every line
;; must be mapped back to its file and line anyway.  The regexps are
;; Go's, case-sensitive unless noted, so that both read a line alike.
;;
;; A line is (TEXT . ORIGIN), TEXT without its newline; an ORIGIN is
;; (SOURCE . NUMBER), SOURCE the buffer or the name of an included file.

(define-error 'borges--include-failed "Include failed")

(defconst borges--go-space
  "[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
  "A character Go's strings.TrimSpace and strings.Fields take for space.")

(defun borges--go-fold (word)
  "A regexp for WORD as Go's (?i) matches it (k and s fold with K and ſ)."
  (mapconcat (lambda (c)
               (cond ((eq c ?k) "[kK\u212a]")
                     ((eq c ?s) "[sS\u017f]")
                     ((<= ?a c ?z) (string ?\[ c (upcase c) ?\]))
                     (t (regexp-quote (string c)))))
             word ""))

(defconst borges--include-re
  (concat "\\`\\([ \t]*\\)#\\+" (borges--go-fold "include") ":\\(.*\\)\\'")
  "An #+include: line: its indentation, then its value.")

(defconst borges--setupfile-re
  (concat "\\`[ \t]*#\\+" (borges--go-fold "setupfile") ":[ \t]*\\(.*?\\)[ \t]*\\'")
  "A #+setupfile: line and its value.")

(defconst borges--todo-re
  (concat "\\`[ \t]*#\\+\\(?:" (borges--go-fold "seq_") "\\|" (borges--go-fold "typ_") "\\)?"
          (borges--go-fold "todo") ":\\(.*\\)\\'")
  "A #+TODO: line (or #+SEQ_TODO:, #+TYP_TODO:) and its keywords.")

;; Go lowercases the line and looks for "#+begin_": İ is an i then.
(defconst borges--begin-re
  (concat "\\`" borges--go-space "*#\\+[bB][eE][gG][iI\u0130][nN]_")
  "A line that opens a block (for Go, whose strings.ToLower makes İ an i).")

(defconst borges--end-re
  (concat "\\`" borges--go-space "*#\\+[eE][nN][dD]_")
  "A line that closes a block.")

(defconst borges--url-re
  (concat "\\`[a-zA-Z\u017f\u212a][a-zA-Z\u017f\u212a0-9+.-]*://")
  "A file name that is a URL.")

(defun borges--go-match (regexp string)
  "Like `string-match' of REGEXP in STRING, case-sensitive as Go's."
  (let ((case-fold-search nil))
    (string-match regexp string)))

(defun borges--go-trim (string)
  "Trim STRING of the spaces Go's strings.TrimSpace trims."
  (string-trim string (concat borges--go-space "+") (concat borges--go-space "+")))

(defun borges--go-cut (string)
  "STRING without what the last `borges--go-match' matched."
  (concat (substring string 0 (match-beginning 0)) (substring string (match-end 0))))

(defun borges--go-word-char-p (string i)
  "Whether character I of STRING is one of Go's \\w, [0-9A-Za-z_]."
  (and (< -1 i (length string))
       (let ((c (aref string i)))
         (or (<= ?0 c ?9) (<= ?A c ?Z) (<= ?a c ?z) (eq c ?_)))))

(defun borges--go-boundary-p (string i)
  "Whether Go's \\b matches before character I of STRING."
  (not (eq (borges--go-word-char-p string (1- i)) (borges--go-word-char-p string i))))

(defun borges--go-word (word value &optional whole)
  "Find where WORD first matches in VALUE as Go's \\bWORD, or nil.
With WHOLE, as \\bWORD\\b."
  (let ((start 0) found)
    (while (and (not found) (let ((case-fold-search nil))
                              (string-match (regexp-quote word) value start)))
      (if (and (borges--go-boundary-p value (match-beginning 0))
               (or (not whole) (borges--go-boundary-p value (match-end 0))))
          (setq found (match-beginning 0))
        (setq start (1+ (match-beginning 0)))))
    found))

(defun borges--go-first-token (value)
  "What Go's \\b(\\S+)\\b captures first in VALUE, or nil."
  (let ((n (length value)) (i 0) token)
    (while (and (not token) (< i n))
      (when (and (not (memq (aref value i) '(?\t ?\n ?\f ?\r ?\s)))
                 (borges--go-boundary-p value i))
        (let ((j i) end)
          (while (and (< j n) (not (memq (aref value j) '(?\t ?\n ?\f ?\r ?\s))))
            (setq j (1+ j))
            (when (borges--go-boundary-p value j) (setq end j)))
          (when end (setq token (substring value i end)))))
      (setq i (1+ i)))
    token))

(defun borges--include-fail (format-string &rest args)
  "Refuse an include, with the message FORMAT-STRING made of ARGS."
  (signal 'borges--include-failed (list (apply #'format format-string args))))

(defun borges--origin-string (origin)
  "ORIGIN as FILE:LINE."
  (format "%s:%d" (borges--source-name (car origin)) (cdr origin)))

(defun borges--source-name (source)
  "How an error names SOURCE, a buffer or a file name."
  (if (bufferp source)
      (or (buffer-file-name source) (buffer-name source))
    source))

(defun borges--split (text source)
  "The lines of TEXT, which comes from SOURCE, as Go's strings.Split cuts them."
  (let ((number 0))
    (mapcar (lambda (s) (cons s (cons source (setq number (1+ number)))))
            (split-string text "\n"))))

(defun borges--join (dir name)
  "Join NAME to DIR as Go's filepath.Join does (no ~)."
  (let ((file-name-handler-alist nil))
    (expand-file-name (if (string-prefix-p "/" name) name (concat (file-name-as-directory dir) name)))))

(defun borges--read (file)
  "The text of FILE, its bytes as they are: nothing decoded but UTF-8.
No file name handler runs: nothing is fetched or uncompressed."
  (with-temp-buffer
    (let ((coding-system-for-read 'utf-8-unix)
          (file-name-handler-alist nil)
          (format-alist nil)
          (after-insert-file-functions nil))
      (insert-file-contents file))
    (buffer-substring-no-properties (point-min) (point-max))))

(defun borges--todo-words (lines)
  "The TODO keywords a heading of LINES may start with."
  (let (words)
    (dolist (l lines)
      (when (borges--go-match borges--todo-re (car l))
        (dolist (w (split-string (match-string 1 (car l)) (concat borges--go-space "+") t))
          (unless (equal w "|")
            (push (car (split-string w "(")) words)))))
    (if words (nreverse words) (list "TODO" "DONE"))))

(defun borges--commented-title-p (rest todo)
  "Whether the heading text REST is COMMENT, after TODO keyword and priority.
TODO lists the TODO keywords."
  (setq rest (string-trim-left rest "[ \t]+"))
  (catch 'keyword
    (dolist (kw todo)
      (when (or (string-prefix-p (concat kw " ") rest) (string-prefix-p (concat kw "\t") rest))
        (setq rest (string-trim-left (substring rest (length kw)) "[ \t]+"))
        (throw 'keyword nil))))
  ;; Go looks at bytes: a priority's letter is one byte.
  (when (and (>= (length rest) 4) (eq (aref rest 0) ?\[) (eq (aref rest 1) ?#)
             (or (< (aref rest 2) 128) (>= (aref rest 2) #x3fff80))
             (eq (aref rest 3) ?\]))
    (setq rest (string-trim-left (substring rest 4) "[ \t]+")))
  (and (string-prefix-p "COMMENT" rest)
       (or (= (length rest) 7) (memq (aref rest 7) '(?\s ?\t)))))

(defun borges--stars (text)
  "Count the stars of TEXT if it is a heading, else nil."
  (and (borges--go-match "\\`\\(\\*+\\)[ \t]" text) (match-end 1)))

(defun borges--expand-lines (lines dir active depth)
  "LINES, from a file in DIR, with their #+include: and #+setupfile: expanded.
ACTIVE lists the files (and :lines ranges) being expanded, against
loops; DEPTH is how deep the includes nest."
  (when (> depth 20)
    (borges--include-fail "includes nest more than 20 deep"))
  (let ((in-block nil) (level 0) (commented-at 0)
        (todo (borges--todo-words lines)) out)
    (dolist (l lines)
      (let* ((text (car l))
             (stars (and (not in-block) (borges--stars text))))
        (when stars
          (setq level stars)
          (when (and (> commented-at 0) (<= level commented-at))
            (setq commented-at 0))
          (when (and (= commented-at 0) (borges--commented-title-p (substring text stars) todo))
            (setq commented-at level)))
        (if (> commented-at 0)
            (push l out)              ; Org expands nothing under a COMMENT heading
          (cond ((borges--go-match borges--begin-re text) (setq in-block t))
                ((borges--go-match borges--end-re text) (setq in-block nil)))
          (cond
           (in-block (push l out))
           ((borges--go-match borges--include-re text)
            (let ((indent (- (match-end 1) (match-beginning 1)))
                  (value (borges--go-trim (match-string 2 text))))
              (dolist (x (borges--keyword (cdr l) "#+include:"
                                          (lambda () (borges--include l indent value dir level
                                                                      active depth))))
                (push x out))))
           ((borges--go-match borges--setupfile-re text)
            (let ((value (match-string 1 text)))
              (dolist (x (borges--keyword (cdr l) "#+setupfile:"
                                          (lambda () (borges--setupfile value dir active depth))))
                (push x out))))
           (t (push l out))))))
    (nreverse out)))

(defun borges--keyword (origin keyword expand)
  "Call EXPAND for the KEYWORD line at ORIGIN, for its lines.
A failure is refused with the file and line of ORIGIN."
  (condition-case err
      (funcall expand)
    (borges--include-failed
     (borges--include-fail "%s: %s %s" (borges--origin-string origin) keyword (cadr err)))
    (file-error
     (borges--include-fail "%s: %s %s" (borges--origin-string origin) keyword
                           (error-message-string err)))))

(defun borges--include (keyword indent value dir level active depth)
  "Expand the #+include: line KEYWORD, INDENT columns in, of VALUE.
DIR is the directory of its file, LEVEL that of the heading it is
under; ACTIVE and DEPTH are as in `borges--expand-lines'."
  (when (borges--go-match "\\`\\(\"[^\"]+?\"\\|[^\t\n\f\r ]+\\)\\(?:[\t\n\f\r ]+\\|\\'\\)" value)
    (let* ((quoted (match-string 1 value))
           (value (substring value (match-end 0)))
           (name (string-trim quoted "\"+" "\"+"))
           (range "") literal args minlevel block)
      (when (borges--go-match borges--url-re name)
        (borges--include-fail "%s is a URL: Borges includes local files only and fetches nothing from the network; download it and include the copy" name))
      (when (borges--go-match "::" name)
        (borges--include-fail "%s: search options (::\u2026) are not supported; use :lines \"A-B\"" name))
      (let ((case-fold-search nil))
        (setq value (replace-regexp-in-string ":coding +[^\t\n\f\r ]+" "" value t t)))
      (when (borges--go-match ":only-contents *\\(?:[^: \r\t\n][^\t\n\f\r ]*\\)?" value)
        (setq value (borges--go-cut value)))
      (when (borges--go-match ":lines +\"\\([0-9]*-[0-9]*\\)\"" value)
        (setq range (match-string 1 value) value (borges--go-cut value)))
      (if (borges--go-word "example" value t)
          (setq literal t)
        (let ((at (or (borges--go-word "export" value) (borges--go-word "src" value))))
          (when at
            (setq literal t)
            (let ((rest (substring value (+ at (if (eq (aref value at) ?e) 6 3)))))
              (when (borges--go-match "\\` +" rest)
                (setq args (substring rest (match-end 0))))))))
      (unless literal
        (if (borges--go-match ":minlevel +\\([0-9]+\\)" value)
            (setq minlevel (string-to-number (match-string 1 value)) value (borges--go-cut value))
          (setq minlevel (1+ level))))
      (setq block (or (borges--go-first-token value) ""))
      (let* ((file (borges--join dir name))
             (key (concat file "\0" range)))
        (when (member key active)
          (borges--include-fail "%s includes itself" name))
        (let* ((text (borges--read file))
               (contents (borges--prepare
                          (borges--split (string-remove-suffix "\n" text) file) range))
               (pad (make-string indent ?\s))
               (origin (cdr keyword))
               (wrap (lambda (begin body)
                       (append (list (cons (concat pad begin) origin)) body
                               (list (cons (concat pad "#+END_" block) origin))))))
          (cond
           (literal
            (funcall wrap (concat "#+BEGIN_" block (if args (concat " " args) ""))
                     (mapcar (lambda (l) (cons (borges--escape (car l)) (cdr l))) contents)))
           ((not (string-empty-p block))
            (funcall wrap (concat "#+BEGIN_" block) contents))
           (t
            ;; An Org file: indented like the keyword up to its first
            ;; heading, its headings moved to minlevel, then its own
            ;; keywords expanded.
            (when (> indent 0)
              (let ((heading nil))
                (setq contents
                      (mapcar (lambda (l)
                                (setq heading (or heading (borges--stars (car l))))
                                (if heading l (cons (concat pad (car l)) (cdr l))))
                              contents))))
            (borges--expand-lines (borges--shift-headings contents minlevel)
                                  (file-name-directory file) (cons key active) (1+ depth)))))))))

(defun borges--escape (text)
  "TEXT with the comma `org-escape-code-in-string' puts before * and #+."
  (if (borges--go-match "\\`\\([ \t]*\\)\\(,*\\(?:\\*\\|#\\+\\)\\)" text)
      (concat (match-string 1 text) "," (substring text (match-end 1)))
    text))

(defun borges--prepare (lines range)
  "LINES in RANGE (\"A-B\": lines A to B-1; empty bounds are the ends).
Blank lines at both ends are removed, as Org removes them."
  (unless (string-empty-p range)
    (let* ((dash (string-match "-" range))
           (from (string-to-number (substring range 0 dash)))
           (to (string-to-number (substring range (1+ dash))))
           (n (length lines))
           (start (if (> from 0) (min (1- from) n) 0))
           (end (if (> to 0) (min (1- to) n) n)))
      (setq lines (and (< start end) (cl-subseq lines start end)))))
  (let ((blank (lambda (l) (string-empty-p (borges--go-trim (car l))))))
    (setq lines (nreverse (cl-member-if-not blank (reverse (cl-member-if-not blank lines)))))
    (copy-sequence lines)))

(defun borges--shift-headings (lines minlevel)
  "LINES with their highest heading moved to MINLEVEL, the others alike."
  (let ((lowest 0))
    (dolist (l lines)
      (let ((stars (borges--stars (car l))))
        (when (and stars (or (= lowest 0) (< stars lowest)))
          (setq lowest stars))))
    (if (or (<= minlevel 0) (= lowest 0) (= lowest minlevel))
        lines
      (mapcar (lambda (l)
                (let ((stars (borges--stars (car l))))
                  (if (not stars) l
                    (cons (concat (make-string (max (+ stars minlevel (- lowest)) 1) ?*)
                                  (substring (car l) stars))
                          (cdr l)))))
              lines))))

(defun borges--setupfile (value dir active depth)
  "The #+ settings of the setup file named by VALUE, relative to DIR.
ACTIVE and DEPTH are as in `borges--expand-lines'.  What the file's
own includes bring counts for its settings only: a setup file
contributes no prose and no blocks."
  (let* ((name (string-trim value "\"+" "\"+"))
         (settings-only
          (lambda (lines)
            (cl-remove-if-not (lambda (l) (string-prefix-p "#+" (borges--go-trim (car l)))) lines))))
    (when (borges--go-match borges--url-re name)
      (borges--include-fail "%s is a URL: Borges reads local setup files only and fetches nothing from the network; download it and name the copy" name))
    (let* ((file (borges--join dir name))
           (key (concat file "\0")))
      (when (member key active)
        (borges--include-fail "%s includes itself" name))
      (let ((lines (borges--split (string-remove-suffix "\n" (borges--read file)) file)))
        (funcall settings-only
                 (borges--expand-lines (funcall settings-only lines) (file-name-directory file)
                                       (cons key active) (1+ depth)))))))

(defun borges-document-text ()
  "The current buffer's text as Borges is sent it, and where each line is.
Return (TEXT . ORIGINS): #+include: and #+setupfile: are expanded as
`borges submit' expands them, and ORIGINS is a vector whose element N
is (SOURCE . LINE), where line N+1 of TEXT comes from: this buffer, or
a file name.  What `borges submit' refuses is a `borges-error' naming
the file and line."
  (let* ((file (and buffer-file-name (expand-file-name buffer-file-name)))
         (text (save-restriction
                 (widen)
                 (buffer-substring-no-properties (point-min) (point-max))))
         (lines (and (not (string-empty-p text))
                     (borges--split (string-remove-suffix "\n" text) (current-buffer))))
         (expanded (condition-case err
                       (borges--expand-lines lines
                                             (if file (file-name-directory file) default-directory)
                                             (and file (list (concat file "\0"))) 0)
                     (borges--include-failed (borges--error (cadr err) nil)))))
    (cons (concat (mapconcat #'car expanded "\n")
                  (if (and expanded (string-suffix-p "\n" text)) "\n" ""))
          (vconcat (mapcar #'cdr expanded)))))

;;;; Source blocks and their results

(defun borges--result-region ()
  "Where the result of the source block at point is, as (START . END).
START and END are what `org-babel-remove-result' deletes; with no
result both are the line after the block."
  (let* ((element (org-element-at-point))
         (location (save-excursion
                     (goto-char (org-element-property :post-affiliated element))
                     (org-babel-where-is-src-block-result)))
         (case-fold-search t))
    (save-excursion
      (if (and location (progn (goto-char location) (looking-at org-babel-result-regexp)))
          (cons (save-excursion (skip-chars-backward " \r\t\n") (line-beginning-position 2))
                (progn (forward-line) (org-babel-result-end)))
        (goto-char (org-element-property :end element))
        (skip-chars-backward " \r\t\n")
        (let ((start (line-beginning-position 2)))
          (cons start start))))))

(defconst borges--block-types '(src-block babel-call)
  "The elements Borges runs: source blocks and #+call: lines.")

(defun borges--blocks (&optional types)
  "The blocks of the current Org buffer in order, as plists.
They are the source blocks and #+call: lines, or the element TYPES
given.  Each has :type, :begin (where the block and its keywords
begin), :line (that line) and :name; blocks inside a previous block's
result are not counted, as a result is not a block of the document."
  (let ((case-fold-search t) (after (point-min)) (types (or types borges--block-types))
        blocks)
    (org-with-wide-buffer
     (goto-char (point-min))
     (while (re-search-forward "^[ \t]*#\\+\\(?:begin_src\\(?:[ \t]\\|$\\)\\|call:\\)" nil t)
       (let ((element (save-excursion (forward-line 0) (org-element-at-point))))
         (when (and (memq (org-element-type element) borges--block-types)
                    (>= (org-element-property :begin element) after))
           (let ((begin (org-element-property :begin element)))
             (goto-char begin)
             (when (memq (org-element-type element) types)
               (push (list :type (org-element-type element)
                           :begin begin :line (line-number-at-pos begin)
                           :name (org-element-property :name element))
                     blocks))
             (setq after (cdr (borges--result-region)))
             (goto-char (max after (org-element-property :end element))))))))
    (nreverse blocks)))

(defun borges--result-texts (text)
  "The results of the source blocks of the Org TEXT, in order.
Each is the text `borges--result-region' covers, so that it can take
the place of the same region in another buffer."
  (with-temp-buffer
    (insert text)
    (let ((org-mode-hook nil)) (delay-mode-hooks (org-mode)))
    (mapcar (lambda (b)
              (goto-char (plist-get b :begin))
              (let ((r (borges--result-region)))
                (buffer-substring-no-properties (car r) (cdr r))))
            (borges--blocks))))

(defvar borges--block-ends (make-hash-table :test 'eq :weakness 'key)
  "The marker of a sent block's beginning -> the marker of its last line.
A block deleted since it was sent has the two at one place.")

(defun borges--block-marker ()
  "A marker where the block at point begins, its end marked too."
  (let* ((element (org-element-at-point))
         (start (copy-marker (org-element-property :begin element) t))
         (end (save-excursion
                (goto-char (org-element-property :end element))
                (skip-chars-backward " \r\t\n")
                (copy-marker (point)))))
    (puthash start end borges--block-ends)
    start))

(defun borges--block-at-marker-p (marker name)
  "Whether the source block sent as NAME is still at MARKER.
The marker is where the block began (its first keyword); lines of
keywords may have been added above its #+begin_src since.  A block
deleted since, or named otherwise now, is not the one sent."
  (let ((element (org-element-at-point))
        (end (gethash marker borges--block-ends)))
    (and (or (null end) (< marker end))
         (memq (org-element-type element) borges--block-types)
         (<= (org-element-property :begin element) marker
             (org-element-property :post-affiliated element))
         (let ((now (org-element-property :name element)))
           (or (null now) (null name) (equal now name))))))

(defun borges--write-result (marker text &optional name)
  "Put TEXT in place of the result of the block NAME at MARKER.
Return non-nil when the block was still there."
  (with-current-buffer (marker-buffer marker)
    (org-with-wide-buffer
     (goto-char marker)
     (when (borges--block-at-marker-p marker name)
       (let ((region (borges--result-region)))
         (unless (equal (buffer-substring-no-properties (car region) (cdr region)) text)
           (goto-char (car region))
           (delete-region (car region) (cdr region))
           (insert text))
         t)))))

(defun borges--placeholder (marker id sent-name)
  "Write a placeholder result of document ID for the block at MARKER.
SENT-NAME is the name Borges gives the block."
  (with-current-buffer (marker-buffer marker)
    (org-with-wide-buffer
     (goto-char marker)
     (when (borges--block-at-marker-p marker sent-name)
       (let ((element (org-element-at-point)))
         (goto-char (org-element-property :post-affiliated element))
         (let ((indent (make-string (current-indentation) ?\s))
               (name (org-element-property :name element)))
           (borges--write-result
            marker (format "\n%s#+RESULTS:%s\n%s: Borges: running (document %s)\n"
                           indent (if name (concat " " name) "") indent id)
            sent-name)))))))

;;;; Dependencies of a block

(defun borges--block-deps ()
  "Names the source block at point needs run first.
They are its :var references, its :after blocks and its noweb calls
<<name()>> (also through the bodies of blocks it includes by noweb)."
  (let* ((info (org-babel-get-src-block-info 'light))
         (params (nth 2 info))
         deps)
    (dolist (p params)
      (pcase (car p)
        (:var (let ((v (cdr p)))
                (when (and (stringp v)
                           (string-match "=[ \t]*\\([^]()[=[:space:]\"']+\\)" v))
                  (push (match-string 1 v) deps))))
        (:after (when (stringp (cdr p))
                  (setq deps (append (split-string (cdr p)) deps))))))
    (let ((body (nth 1 info)) (seen nil) (bodies nil))
      (while body
        (let ((start 0))
          (while (string-match "<<\\([^<>\n]+?\\)>>" body start)
            (setq start (match-end 0))
            (let ((ref (match-string 1 body)))
              (if (string-match "\\`\\([^()[:space:]]+\\)(" ref)
                  (push (match-string 1 ref) deps)
                (unless (member ref seen)
                  (push ref seen)
                  (let ((b (org-babel-find-named-block ref)))
                    (when b
                      (save-excursion
                        (goto-char b)
                        (push (nth 1 (org-babel-get-src-block-info 'light)) bodies)))))))))
        (setq body (pop bodies))))
    deps))

(defconst borges--session-kinds
  '(("sh" . "shell") ("bash" . "shell") ("zsh" . "shell") ("fish" . "shell")
    ("csh" . "shell") ("ash" . "shell") ("dash" . "shell") ("ksh" . "shell")
    ("mksh" . "shell") ("posh" . "shell") ("shell" . "shell")
    ("python" . "python") ("python3" . "python") ("ruby" . "ruby"))
  "The languages whose :session Borges keeps, and the session kind of each.")

(defun borges--session-key ()
  "The Borges session of the source block at point, or nil.
It is \"KIND:NAME\" for a shell, Python or Ruby block with :session NAME."
  (let* ((info (org-babel-get-src-block-info 'light))
         (kind (cdr (assoc (nth 0 info) borges--session-kinds)))
         (session (cdr (assq :session (nth 2 info)))))
    (and kind (stringp session) (not (equal session "none"))
         (concat kind ":" session))))

(defun borges--only-blocks (text line)
  "TEXT with only the block at LINE and what it depends on left to run.
The other source blocks get `:eval no', other #+call: lines become
comments; no line is added or removed.  A block of a session depends on
the blocks of its session before it: Borges runs them in a new
interpreter, which has only what they build."
  (with-temp-buffer
    (insert text)
    (let ((org-mode-hook nil)) (delay-mode-hooks (org-mode)))
    (let* ((blocks (borges--blocks '(src-block)))
           (by-name (make-hash-table :test 'equal))
           (needed (make-hash-table :test 'eq))
           (sessions (make-hash-table :test 'eq))
           (todo (list (cl-find line blocks :key (lambda (b) (plist-get b :line))))))
      (dolist (b blocks)
        (when (plist-get b :name) (puthash (plist-get b :name) b by-name))
        (goto-char (plist-get b :begin))
        (puthash b (borges--session-key) sessions))
      (while todo
        (let ((b (pop todo)))
          (when (and b (not (gethash b needed)))
            (puthash b t needed)
            (goto-char (plist-get b :begin))
            (dolist (name (borges--block-deps))
              (push (gethash name by-name) todo))
            (let ((key (gethash b sessions)))
              (when key
                (dolist (other blocks)
                  (when (and (< (plist-get other :line) (plist-get b :line))
                             (equal (gethash other sessions) key))
                    (push other todo))))))))
      (dolist (b (reverse blocks))
        (unless (gethash b needed)
          (goto-char (plist-get b :begin))
          (goto-char (org-element-property :post-affiliated (org-element-at-point)))
          (end-of-line)
          (insert " :eval no")))
      (goto-char (point-min))
      (let ((case-fold-search t))
        (while (re-search-forward "^[ \t]*\\(#\\+call:\\)" nil t)
          (when (eq (org-element-type (save-excursion (forward-line 0) (org-element-at-point)))
                    'babel-call)
            (replace-match "# call:" t t nil 1))))
      (buffer-string))))

;;;; Sending a document and following it

(defun borges--block-line-at-point (&optional types)
  "The line where the block at point begins, or nil.
A block is a source block or a #+call: line, or of the element TYPES."
  (let ((element (org-element-at-point))
        (types (or types borges--block-types)))
    (while (and element (not (memq (org-element-type element) types)))
      (setq element (org-element-property :parent element)))
    (and element (line-number-at-pos (org-element-property :begin element)))))

(defun borges--send (buffer &optional line)
  "Send BUFFER's document; with LINE, only the block there and its needs.
Return the run, whose id arrives with the server's answer."
  (with-current-buffer buffer
    (unless (derived-mode-p 'org-mode)
      (user-error "Borges runs Org documents; this is not an Org buffer"))
    (let* ((resolved (borges-document-text))
           (text (car resolved))
           (origins (cdr resolved))
           (sent-line (and line (cl-position (cons buffer line) origins :test #'equal)))
           (address (borges--address))
           (run (borges--run-create :address address :buffer buffer
                                    :only (and sent-line (1+ sent-line)))))
      (when (and line (not sent-line))
        (user-error "Borges: no source block here"))
      (when sent-line
        (setq text (borges--only-blocks text (1+ sent-line))))
      ;; Where each block of the sent text is in this buffer.
      (with-temp-buffer
        (insert text)
        (let ((org-mode-hook nil)) (delay-mode-hooks (org-mode)))
        (dolist (b (borges--blocks))
          (push (plist-get b :line) (borges--run-lines run))
          (let ((origin (aref origins (1- (plist-get b :line)))))
            (when (eq (car origin) buffer)
              (push (cons (plist-get b :line)
                          (with-current-buffer buffer
                            (save-restriction
                              (widen)
                              (save-excursion
                                (goto-char (point-min))
                                (forward-line (1- (cdr origin)))
                                (borges--block-marker)))))
                    (borges--run-markers run)))))
        (setf (borges--run-lines run) (nreverse (borges--run-lines run))))
      (setq borges-last-error nil)
      (borges--request
       "POST" (concat "/org" (borges--submit-query buffer)) :body text :address address
       :callback (lambda (answer) (borges--sent run (borges--json answer)))
       :errback (lambda (msg status)
                  (borges--failed-to-send buffer msg status origins)))
      run)))

(defun borges--submit-query (buffer)
  "The query part of the POST sending BUFFER's text.
The text is a buffer's, decoded already as Emacs read its file:
\"decoded=1\" tells the server not to decode it again (decoding twice
would drop a second BOM, or a CR kept before a DOS line end), and to
give the document back as it is, for this buffer.  Then where the
document is visited (`borges--visit-query')."
  (let ((visit (borges--visit-query buffer)))
    (concat "?decoded=1" (if (equal visit "") "" (concat "&" (substring visit 1))))))

(defun borges--visit-query (buffer)
  "The query part telling the server where BUFFER's document is visited.
It is \"?dir=DIR&home=HOME\": the directory of the file BUFFER visits
and the home directory, from which the server makes the links of
:results file blocks as `org-babel-result-to-file' makes them in BUFFER;
\"\" for a buffer visiting no file here.  A value the server would
refuse is left out."
  (let* ((file (buffer-file-name (buffer-base-buffer buffer)))
         (dir (and file (not (file-remote-p file))
                   (borges--sendable-path
                    (directory-file-name (file-name-directory (expand-file-name file))))))
         (home (and dir (borges--sendable-path (directory-file-name (expand-file-name "~"))))))
    (cond
     ((null dir) "")
     ((null home) (concat "?dir=" (url-hexify-string dir)))
     (t (concat "?dir=" (url-hexify-string dir) "&home=" (url-hexify-string home))))))

(defun borges--sendable-path (path)
  "PATH, or nil when the server would not take it as a directory.
It must be absolute, at most 4096 bytes of UTF-8, without control
characters."
  (and (string-prefix-p "/" path)
       (<= (string-bytes (encode-coding-string path 'utf-8)) 4096)
       (not (string-match-p "[\0-\37\177]" path))
       path))

(defun borges--failed-to-send (buffer msg status origins)
  "Tell that BUFFER's document was not taken: MSG, STATUS.
A rejection's problems go to *borges problems*, at the file and line
each comes from (ORIGINS)."
  (when (buffer-live-p buffer)
    (with-current-buffer buffer (setq borges-last-error msg)))
  (when (eql status 400)
    (borges--show-problems msg origins))
  (message "%s" msg))

(defun borges--show-problems (msg origins)
  "List the problems of the rejection MSG at their files and ORIGINS."
  (with-current-buffer (get-buffer-create "*borges problems*")
    (let ((inhibit-read-only t))
      (erase-buffer)
      (insert (car (split-string msg "\n")) "\n")
      (dolist (line (cdr (split-string msg "\n")))
        (when (string-match "\\`  line \\([0-9]+\\): \\(.*\\)" line)
          (let* ((n (string-to-number (match-string 1 line)))
                 (why (match-string 2 line))
                 (origin (and (<= 1 n (length origins)) (aref origins (1- n))))
                 (file (and origin (borges--source-name (car origin)))))
            (insert (if origin (format "%s:%d: %s\n" file (cdr origin) why)
                      (format "line %d: %s\n" n why))))))
      (compilation-mode)
      (setq next-error-last-buffer (current-buffer))
      (display-buffer (current-buffer)))))

(defun borges--sent (run doc)
  "The server took RUN's document, answering DOC: start following it."
  (let ((buffer (borges--run-buffer run))
        (id (alist-get 'id doc)))
    (setf (borges--run-id run) id)
    (when (buffer-live-p buffer)
      (with-current-buffer buffer
        (setq borges-document-id id)
        (push run borges--runs)
        (dolist (b (alist-get 'blocks doc))
          (let ((marker (cdr (assq (alist-get 'line b) (borges--run-markers run)))))
            (when (and marker (eq (alist-get 'runnable b) t)
                       (memq (borges--run-only run) (list nil (alist-get 'line b))))
              (push (cons (alist-get 'name b) (alist-get 'line b)) (borges--run-names run))
              (borges--placeholder marker id (alist-get 'name b)))))
        (setf (borges--run-total run) (length (borges--run-names run)))
        (borges--update run doc)
        (message "Borges: document %s, %d block(s) to run" id
                 (cl-count-if (lambda (b) (eq (alist-get 'runnable b) t))
                              (alist-get 'blocks doc)))
        (borges--follow run)))))

(defun borges--follow (run)
  "Look at RUN's document every `borges-poll-interval' until it ends."
  (unless (timerp (borges--run-timer run))
    (setf (borges--run-timer run)
          (run-with-timer borges-poll-interval borges-poll-interval #'borges--poll run))))

(defun borges--stop (run)
  "Stop following RUN."
  (when (timerp (borges--run-timer run))
    (cancel-timer (borges--run-timer run)))
  (setf (borges--run-timer run) nil))

(defun borges--poll (run)
  "Ask for the state of RUN's document, and write what has finished."
  (let ((buffer (borges--run-buffer run)))
    (cond
     ((not (buffer-live-p buffer)) (borges--stop run))
     ((borges--run-busy run))
     (t
      (setf (borges--run-busy run) t)
      (borges--request
       "GET" (format "/org/%s.json" (borges--run-id run)) :address (borges--run-address run)
       :callback (lambda (answer)
                   (setf (borges--run-busy run) nil)
                   (borges--update run (borges--json answer)))
       :errback (lambda (msg status)
                  (setf (borges--run-busy run) nil)
                  (borges--stop run)
                  (when (buffer-live-p buffer)
                    (with-current-buffer buffer
                      (setq borges-last-error msg)
                      (setq borges--progress " Borges: no answer")
                      (force-mode-line-update)))
                  (if (eql status 404)
                      (borges--forget buffer (borges--run-id run)))
                  (message "%s" msg)))))))

(defun borges--update (run doc)
  "Take DOC, the state of RUN's document: note what changed."
  (let ((buffer (borges--run-buffer run))
        (done 0))
    (dolist (b (alist-get 'blocks doc))
      (let* ((name (alist-get 'name b))
             (state (alist-get 'state b))
             ;; A block restarted and ended again between two looks
             ;; has other attempts.
             (seen (cons state (mapcar (lambda (i) (alist-get 'attempt_id i))
                                       (alist-get 'instances b))))
             (followed (assoc name (borges--run-names run)))
             (last (gethash name (borges--run-states run)))
             (before (car last)))
        (when followed
          (puthash name seen (borges--run-states run))
          (when (member state borges--terminal-states)
            (setq done (1+ done)))
          (cond
           ((and (member state borges--terminal-states)
                 (not (equal seen last)))
            (cl-pushnew followed (borges--run-pending run) :test #'equal)
            (borges--fetch-block-file run b)
            (when (member state '("failed" "lost"))
              (message "Borges: block %s %s%s; %s shows its log" name state
                       (let ((code (alist-get 'exit_code (car (alist-get 'instances b)))))
                         (if code (format " (exit %s)" code) ""))
                       (substitute-command-keys "\\[borges-log]"))))
           ((and (member before borges--terminal-states)
                 (not (member state borges--terminal-states)))
            ;; Run again (restarted): it is running once more.
            (let ((marker (cdr (assq (cdr followed) (borges--run-markers run)))))
              (when marker (borges--placeholder marker (borges--run-id run) name))))))))
    (setf (borges--run-done run) done
          (borges--run-state run) (alist-get 'state doc))
    (when (buffer-live-p buffer)
      (with-current-buffer buffer
        (when (eq run (car borges--runs))
          (setq borges--progress
                (format " Borges: %d/%d %s" done (borges--run-total run) (alist-get 'state doc)))
          (force-mode-line-update))))
    (cond
     ((borges--run-pending run) (borges--fetch-results run))
     ((member (alist-get 'state doc) borges--terminal-states)
      (borges--stop run)
      (message "Borges: document %s %s" (borges--run-id run) (alist-get 'state doc))))))

(defun borges--fetch-block-file (run block)
  "Write the file the result of BLOCK (finished) of RUN links to.
As Babel would have, next to RUN's buffer, in the background; only
with `borges-results-fetch-files', and for a path under that directory."
  (let ((file (alist-get 'file (alist-get 'task block)))
        (buffer (borges--run-buffer run)))
    (when (and borges-results-fetch-files
               (equal (alist-get 'state block) "finished")
               (borges--relative-path-p file)
               (buffer-live-p buffer))
      (borges--download-async
       (borges--run-address run)
       (format "/org/%s/files/%s" (borges--run-id run)
               (mapconcat #'url-hexify-string (split-string file "/") "/"))
       (expand-file-name file (buffer-local-value 'default-directory buffer))))))

(defun borges--download-async (address path dest)
  "Write the body of GET PATH at ADDRESS to the file DEST, byte for byte.
The request runs in the background; a failure is only reported."
  (let ((url-request-method "GET")
        (url-request-extra-headers (borges--authorization (borges--token address))))
    (condition-case nil
        (url-retrieve
         (concat (borges--base-url address) path)
         (lambda (_status)
           (unwind-protect
               (progn
                 (set-buffer-multibyte nil)
                 (goto-char (point-min))
                 (if (not (looking-at "HTTP/[0-9.]+ 2[0-9][0-9] "))
                     (message "Borges: could not fetch %s: %s" path
                              (buffer-substring (point) (line-end-position)))
                   (re-search-forward "\r?\n\r?\n" nil 'move)
                   (make-directory (file-name-directory dest) t)
                   (let ((coding-system-for-write 'binary))
                     (write-region (point) (point-max) dest nil 'silent))))
             (kill-buffer)))
         nil t t)
      (error (message "%s" (borges--connection-message address))))))

(defun borges--fetch-results (run)
  "Fetch RUN's document with its results; write those of finished blocks."
  (setf (borges--run-busy run) t)
  (borges--request
   "GET" (format "/org/%s.org" (borges--run-id run)) :accept "text/org"
   :address (borges--run-address run)
   :callback (lambda (text)
               (setf (borges--run-busy run) nil)
               (borges--write-results run text))
   :errback (lambda (msg _status)
              (setf (borges--run-busy run) nil)
              (message "%s" msg))))

(defun borges--write-results (run text)
  "Write into RUN's buffer the results in TEXT of its finished blocks."
  (when (buffer-live-p (borges--run-buffer run))
    ;; The sent text and the document with results differ by their
    ;; results only: the Nth block of one is the Nth block of the other.
    (let ((results (borges--result-texts text)))
      (unless (= (length results) (length (borges--run-lines run)))
        ;; Never guess which block a result belongs to.
        (message "Borges: document %s came back with other blocks than were sent; %s shows it"
                 (borges--run-id run) (substitute-command-keys "\\[borges-results]"))
        (setq results nil))
      (dolist (pending (borges--run-pending run))
        (let* ((line (cdr pending))
               (marker (cdr (assq line (borges--run-markers run))))
               (index (cl-position line (borges--run-lines run))))
          (when (and marker index (nth index results))
            (borges--write-result marker (nth index results) (car pending)))))
      (setf (borges--run-pending run) nil)
      (when (member (borges--run-state run) borges--terminal-states)
        (borges--poll run)))))

;;;; Mode

(defun borges--mode-line ()
  "The mode line text of `borges-mode'."
  (or borges--progress " Borges"))

(defvar borges-command-map
  (let ((map (make-sparse-keymap)))
    (define-key map "s" #'borges-submit)
    (define-key map "b" #'borges-submit-block)
    (define-key map "t" #'borges-status)
    (define-key map "l" #'borges-log)
    (define-key map "k" #'borges-kill)
    (define-key map "r" #'borges-restart)
    (define-key map "g" #'borges-results)
    (define-key map "f" #'borges-fetch-files)
    map)
  "Commands of `borges-mode', under `borges-mode-prefix-key'.")

(defvar borges-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map (kbd borges-mode-prefix-key) borges-command-map)
    map)
  "Keymap of `borges-mode'.")

;;;###autoload
(define-minor-mode borges-mode
  "Run this Org buffer's source blocks on a Borges server.

With the mode on, \\[org-ctrl-c-ctrl-c] on a source block runs it (and
what it depends on) on Borges; its result is written in place when it
finishes.  A block with `:borges no' runs in Emacs.

\\{borges-mode-map}"
  :lighter (:eval (borges--mode-line))
  :keymap borges-mode-map
  :group 'borges)

;;;###autoload
(defun borges-mode-maybe ()
  "Turn on `borges-mode' when this Org buffer has #+borgesaddress:.
Meant for `org-mode-hook'."
  (interactive)
  (when (and (derived-mode-p 'org-mode)
             (assoc "BORGESADDRESS" (org-collect-keywords '("BORGESADDRESS"))))
    (borges-mode 1)))

(defun borges--block-wants-borges (info)
  "Return non-nil when the block of INFO is to go to Borges, not Emacs."
  (let ((param (assq :borges (nth 2 info))))
    (if param
        (not (member (format "%s" (cdr param)) '("no" "nil")))
      borges-mode)))

(defvar borges--in-local-execution nil
  "Non-nil while Babel runs a block in Emacs (its references stay local).")

(defun borges--execute-advice (execute &optional arg info params &rest rest)
  "Run the block on Borges when it should; else call EXECUTE.
ARG, INFO, PARAMS and REST are `org-babel-execute-src-block''s."
  (let ((info* (or info (org-babel-get-src-block-info 'light))))
    (if (or borges--in-local-execution
            (not (derived-mode-p 'org-mode))
            (not (borges--block-wants-borges
                  (if params
                      (list nil nil (org-babel-merge-params (nth 2 info*) params))
                    info*))))
        (let ((borges--in-local-execution t))
          (apply execute arg info params rest))
      (when (org-babel-confirm-evaluate info*)
        (save-excursion
          (when (nth 5 info*) (goto-char (nth 5 info*)))
          (borges-submit-block)))
      nil)))

(defun borges--ctrl-c-ctrl-c ()
  "Run the source block at point, on Borges when it should; non-nil if run.
Org's own \[org-ctrl-c-ctrl-c] would first compute the block's :var
values, running the blocks they name in Emacs; on Borges they run there."
  (when (and (derived-mode-p 'org-mode)
             (not org-babel-no-eval-on-ctrl-c-ctrl-c)
             (eq (org-element-type (org-element-context)) 'src-block))
    (let ((info (org-babel-get-src-block-info 'light)))
      (cond
       ((borges--block-wants-borges info)
        (org-babel-execute-src-block current-prefix-arg info)
        t)
       (borges-mode
        ;; A block for Emacs: what it refers to runs in Emacs too.
        (let ((borges--in-local-execution t))
          (org-babel-eval-wipe-error-buffer)
          (org-babel-execute-src-block current-prefix-arg))
        t)))))

(defun borges--execute-buffer-advice (execute &rest args)
  "Send the buffer to Borges as one document in `borges-mode'.
Else call EXECUTE with ARGS (`org-babel-execute-buffer' and its ARGS)."
  (if (and borges-mode (derived-mode-p 'org-mode) (not borges--in-local-execution))
      (progn (borges-submit) nil)
    (apply execute args)))

(advice-add 'org-babel-execute-src-block :around #'borges--execute-advice)
(advice-add 'org-babel-execute-buffer :around #'borges--execute-buffer-advice)
(add-hook 'org-ctrl-c-ctrl-c-hook #'borges--ctrl-c-ctrl-c)

(defun borges-unload-function ()
  "Remove what loading borges added to Org: its advice and its hook."
  (advice-remove 'org-babel-execute-src-block #'borges--execute-advice)
  (advice-remove 'org-babel-execute-buffer #'borges--execute-buffer-advice)
  (remove-hook 'org-ctrl-c-ctrl-c-hook #'borges--ctrl-c-ctrl-c)
  nil)

;;;; Commands

;;;###autoload
(defun borges-submit ()
  "Send this buffer to Borges, to run its source blocks.
Results are written into the buffer as each block finishes."
  (interactive)
  (borges--send (current-buffer)))

;;;###autoload
(define-obsolete-function-alias 'org-borges-exec #'borges-submit "0.2")

;;;###autoload
(defun borges-submit-block ()
  "Run the source block at point on Borges, with the blocks it needs.
Those are the blocks its :var, :after and noweb calls name; the
others are sent with `:eval no'."
  (interactive)
  (let ((line (borges--block-line-at-point '(src-block))))
    (unless line (user-error "Borges: no source block at point"))
    (borges--send (current-buffer) line)))

(defun borges-document (&optional id)
  "The state of document ID (this buffer's by default), as an alist."
  (let ((id (or id (borges--id))))
    (borges--with-id-call id
      (borges--json (borges--call "GET" (format "/org/%s.json" id))))))

(defun borges--run-at-point ()
  "The newest run of this buffer with a block at point, as (RUN . NAME)."
  (let ((line (borges--block-line-at-point)))
    (when line
      (let ((pos (save-excursion (goto-char (point-min)) (forward-line (1- line)) (point))))
        (cl-some (lambda (run)
                   (let ((sent (car (cl-find-if (lambda (m) (= (marker-position (cdr m)) pos))
                                                (borges--run-markers run)))))
                     (when sent
                       (let ((name (car (rassq sent (borges--run-names run)))))
                         (and name (cons run name))))))
                 borges--runs)))))

(defun borges--block-name-at-point ()
  "The name Borges gives the source block at point, or nil."
  (let ((run (borges--run-at-point)))
    (if run (cdr run)
      (let ((line (borges--block-line-at-point)))
        (when line
          (let* ((b (cl-find line (borges--blocks) :key (lambda (b) (plist-get b :line))))
                 (same (borges--blocks (list (plist-get b :type)))))
            ;; Borges numbers source blocks and calls apart.
            (or (plist-get b :name)
                (format (if (eq (plist-get b :type) 'babel-call) "call-%d" "block-%d")
                        (1+ (cl-position line same :key (lambda (b) (plist-get b :line))))))))))))

(defun borges--read-block (prompt)
  "The block at point's name, or one read with PROMPT."
  (or (and (derived-mode-p 'org-mode) (borges--block-name-at-point))
      (read-string prompt)))

;;;###autoload
(defun borges-kill (&optional id)
  "Kill every task of document ID (this buffer's by default)."
  (interactive)
  (let ((id (or id (borges--id))))
    (when (or (not borges-confirm-kill) (not (called-interactively-p 'any))
              (y-or-n-p (format "Kill everything document %s runs? " id)))
      (borges--with-id-call id
        (borges--call "DELETE" (format "/org/%s" id)))
      (borges--refollow id)
      (message "Borges: killed %s" id))))

(defun borges--refollow (id)
  "Follow document ID again in this buffer (one of its blocks was restarted)."
  (dolist (run borges--runs)
    (when (equal (borges--run-id run) id)
      (borges--follow run))))

(defun borges--target (prompt)
  "The block at point and its document, as (ID . NAME).
The document is the newest one that ran this block, else the buffer's
last; the name is read with PROMPT when point is on no block."
  (let ((run (and (derived-mode-p 'org-mode) (borges--run-at-point))))
    (if run
        (cons (borges--run-id (car run)) (cdr run))
      (let ((name (borges--read-block prompt)))
        (cons (borges--id) name)))))

;;;###autoload
(defun borges-restart (&optional name id)
  "Run block NAME (the block at point) of document ID again."
  (interactive)
  (let* ((target (unless (and name id) (borges--target "Restart block: ")))
         (id (or id (car target)))
         (name (or name (cdr target))))
    (borges--with-id-call id
      (borges--call "POST" (format "/org/%s/blocks/%s/restart" id (url-hexify-string name))))
    (borges--refollow id)
    (message "Borges: restarted %s" name)))

(defun borges-kill-block (name &optional id)
  "Kill block NAME of document ID (this buffer's by default)."
  (interactive (list (borges--read-block "Kill block: ")))
  (let ((id (or id (borges--id))))
    (borges--with-id-call id
      (borges--call "POST" (format "/org/%s/blocks/%s/kill" id (url-hexify-string name))))
    (message "Borges: killed %s" name)))

;;;###autoload
(defun borges-results (&optional replace id)
  "Fetch the document ID with its results.
Show it in a buffer, or with prefix argument REPLACE put it in place of
this buffer's text."
  (interactive "P")
  (let* ((id (or id (borges--id)))
         (text (borges--with-id-call id
                 (borges--call "GET" (format "/org/%s.org" id) :accept "text/org"))))
    (if replace
        (let ((p (point)))
          (erase-buffer)
          (insert text)
          (goto-char (min p (point-max)))
          (when borges-results-fetch-files
            (borges-fetch-files id)))
      (with-current-buffer (get-buffer-create (format "*borges %s*" id))
        (erase-buffer)
        (insert text)
        (org-mode)
        (goto-char (point-min))
        (display-buffer (current-buffer))))
    text))

(defun borges--relative-path-p (path)
  "Whether PATH stays under the directory it is relative to."
  (and (stringp path) (not (string-empty-p path))
       (not (file-name-absolute-p path))
       (not (member ".." (split-string path "/")))))

(defun borges--download (path dest)
  "Write the body of GET PATH to the file DEST, byte for byte."
  (let* ((address (borges--address))
         (token (borges--token address))
         (url-request-method "GET")
         (url-request-extra-headers (borges--authorization token))
         (buffer (condition-case nil
                     (url-retrieve-synchronously (concat (borges--base-url address) path)
                                                 t t borges-request-timeout)
                   (error nil))))
    (unless buffer (user-error "%s" (borges--connection-message address)))
    (with-current-buffer buffer
      (unwind-protect
          (progn
            (set-buffer-multibyte nil)
            (goto-char (point-min))
            (let ((status (and (looking-at "HTTP/[0-9.]+ \\([0-9]+\\)")
                               (string-to-number (match-string 1)))))
              (unless (and status (< 199 status 300))
                (user-error "Borges: %s for %s" (or status "no status") path))
              (re-search-forward "\r?\n\r?\n" nil 'move)
              (let ((coding-system-for-write 'binary))
                (write-region (point) (point-max) dest nil 'silent))))
        (kill-buffer buffer)))))

;;;###autoload
(defun borges-fetch-files (&optional id dir)
  "Write the files the :results file blocks of document ID link to.
They go under DIR, this buffer's directory by default, where the links of
the results point.  Return the files written."
  (interactive)
  (let ((id (or id (borges--id)))
        (dir (or dir default-directory))
        written)
    (dolist (b (alist-get 'blocks (borges-document id)))
      (let ((file (alist-get 'file (alist-get 'task b))))
        (when (and file (equal (alist-get 'state b) "finished")
                   (borges--relative-path-p file))
          (let ((dest (expand-file-name file dir)))
            (make-directory (file-name-directory dest) t)
            (borges--download (format "/org/%s/files/%s" id
                                      (mapconcat #'url-hexify-string (split-string file "/") "/"))
                              dest)
            (push dest written)))))
    (when (called-interactively-p 'interactive)
      (message "Borges: wrote %d file(s)" (length written)))
    (nreverse written)))

;;;###autoload
(defun borges-start ()
  "Start a Borges server on this machine, in buffer *borges server*.
It runs `borges-program' with `borges-start-arguments'."
  (interactive)
  (let ((process (apply #'start-process "borges" "*borges server*"
                        borges-program borges-start-arguments)))
    (set-process-query-on-exit-flag process t)
    (message "Borges: started %s (output in *borges server*)" borges-program)
    process))

;;;; Status buffer

(defvar-local borges--status-id nil "Document of this status buffer.")
(defvar-local borges--status-address nil "Server of this status buffer.")
(defvar-local borges--status-source nil "Org buffer this status buffer is about.")
(defvar-local borges--status-timer nil "Timer refreshing this status buffer.")
(defvar-local borges--status-busy nil "Whether a refresh is on its way.")

(defvar borges-status-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map (kbd "RET") #'borges-status-visit)
    (define-key map "l" #'borges-status-log)
    (define-key map "k" #'borges-status-kill)
    (define-key map "r" #'borges-status-restart)
    (define-key map "n" #'next-line)
    (define-key map "p" #'previous-line)
    map)
  "Keymap of `borges-status-mode'.")

(define-derived-mode borges-status-mode special-mode "Borges-Status"
  "The blocks of a Borges document and their states, refreshed live.
\\<borges-status-mode-map>\\[revert-buffer] refreshes,
\\[borges-status-visit] visits the block, \\[borges-status-log] shows its log,
\\[borges-status-kill] kills it, \\[borges-status-restart] runs it again.

\\{borges-status-mode-map}"
  (setq-local revert-buffer-function #'borges--status-revert)
  (setq truncate-lines t)
  (add-hook 'kill-buffer-hook #'borges--status-stop nil t))

;;;###autoload
(defun borges-status (&optional id)
  "Show the blocks of document ID (this buffer's) and their states.
The buffer refreshes itself while the document runs."
  (interactive)
  (let* ((id (or id (borges--id)))
         (address (borges--address))
         (source (current-buffer))
         (buffer (get-buffer-create (format "*borges status %s*" id))))
    (with-current-buffer buffer
      (unless (derived-mode-p 'borges-status-mode) (borges-status-mode))
      (setq borges--status-id id
            borges--status-address address
            borges--status-source source)
      (borges--status-refresh)
      (unless (timerp borges--status-timer)
        (setq borges--status-timer
              (run-with-timer borges-poll-interval borges-poll-interval
                              #'borges--status-tick buffer))))
    (display-buffer buffer)
    buffer))

(defun borges--status-stop ()
  "Stop refreshing this status buffer."
  (when (timerp borges--status-timer)
    (cancel-timer borges--status-timer))
  (setq borges--status-timer nil))

(defun borges--status-tick (buffer)
  "Refresh the status BUFFER, if it is still there."
  (if (buffer-live-p buffer)
      (with-current-buffer buffer
        (unless borges--status-busy (borges--status-refresh)))
    nil))

(defun borges--status-revert (&rest _)
  "Refresh the status buffer (for `revert-buffer')."
  (borges--status-refresh)
  (unless (timerp borges--status-timer)
    (setq borges--status-timer
          (run-with-timer borges-poll-interval borges-poll-interval
                          #'borges--status-tick (current-buffer)))))

(defun borges--status-refresh ()
  "Ask for the document's state and draw it when it arrives."
  (let ((buffer (current-buffer))
        (id borges--status-id))
    (setq borges--status-busy t)
    (borges--request
     "GET" (format "/org/%s.json" id) :address borges--status-address
     :callback (lambda (text)
                 (when (buffer-live-p buffer)
                   (with-current-buffer buffer
                     (setq borges--status-busy nil)
                     (let ((doc (borges--json text)))
                       (borges--status-draw doc)
                       (when (member (alist-get 'state doc) borges--terminal-states)
                         (borges--status-stop))))))
     :errback (lambda (msg status)
                (when (buffer-live-p buffer)
                  (with-current-buffer buffer
                    (setq borges--status-busy nil)
                    (borges--status-stop)
                    (let ((inhibit-read-only t))
                      (goto-char (point-min))
                      (unless (looking-at "Borges is not\\|Borges at\\|Borges has")
                        (insert msg "\n\n"))))
                  (when (eql status 404)
                    (borges--forget (buffer-local-value 'borges--status-source buffer) id))
                  (message "%s" msg))))))

(defun borges--duration (instance)
  "How long INSTANCE ran (or has run), as text."
  (let ((start (alist-get 'started_at instance))
        (end (alist-get 'finished_at instance)))
    (if (not start) ""
      (let ((seconds (- (if end (float-time (parse-iso8601-time-string end)) (float-time))
                        (float-time (parse-iso8601-time-string start)))))
        (if (< seconds 60) (format "%.1fs" seconds)
          (format "%dm%02ds" (floor seconds 60) (mod (floor seconds) 60)))))))

(defun borges--state-face (state)
  "The face of STATE."
  (cond ((equal state "finished") 'borges-finished)
        ((member state '("failed" "killed" "lost")) 'borges-failed)
        (t 'borges-running)))

(defun borges--status-draw (doc)
  "Draw DOC, keeping point on the same block."
  (let ((inhibit-read-only t)
        (block (get-text-property (point) 'borges-block))
        (column (current-column)))
    (erase-buffer)
    (insert (propertize (format "Borges document %s" (alist-get 'id doc)) 'face 'bold)
            "  " (propertize (or (alist-get 'state doc) "") 'face
                             (borges--state-face (alist-get 'state doc)))
            (if (alist-get 'title doc) (concat "  " (alist-get 'title doc)) "")
            "\n" (format "at %s" borges--status-address) "\n\n")
    (insert (propertize (format "%-24s %-8s %-9s %5s %8s  %s\n"
                                "block" "lang" "state" "exit" "time" "message")
                        'face 'bold))
    (dolist (b (alist-get 'blocks doc))
      (let* ((instance (car (alist-get 'instances b)))
             (state (alist-get 'state b))
             (start (point)))
        (if (eq (alist-get 'runnable b) t)
            (insert (format "%-24s %-8s %s %5s %8s  %s\n"
                            (alist-get 'name b) (or (alist-get 'lang b) "")
                            (propertize (format "%-9s" state) 'face (borges--state-face state))
                            (let ((c (alist-get 'exit_code instance))) (if c (format "%s" c) ""))
                            (borges--duration instance)
                            (or (alist-get 'message instance) "")))
          (insert (format "%-24s %-8s not run: %s\n" (alist-get 'name b)
                          (or (alist-get 'lang b) "") (or (alist-get 'reason b) ""))))
        (put-text-property start (point) 'borges-block (alist-get 'name b))
        (put-text-property start (point) 'borges-line (alist-get 'line b))
        (put-text-property start (point) 'borges-state state)))
    (goto-char (point-min))
    (when block
      (let ((match (text-property-search-forward 'borges-block block t)))
        (when match
          (goto-char (prop-match-beginning match))
          (move-to-column column))))))

(defun borges--status-block ()
  "The name of the block on this line of the status buffer."
  (or (get-text-property (line-beginning-position) 'borges-block)
      (user-error "No block on this line")))

(defun borges-status-visit ()
  "Go to the block of this line in its Org buffer."
  (interactive)
  (let* ((name (borges--status-block))
         (line (get-text-property (line-beginning-position) 'borges-line))
         (id borges--status-id)
         (source borges--status-source))
    (unless (buffer-live-p source) (user-error "The Org buffer is gone"))
    (let ((pos (with-current-buffer source
                 (or (cl-some (lambda (run)
                                (and (equal (borges--run-id run) id)
                                     (let ((m (cdr (assq line (borges--run-markers run)))))
                                       (and m (marker-position m)))))
                              borges--runs)
                     (org-babel-find-named-block name)
                     (borges--numbered-block name)
                     (user-error "Block %s is not in %s" name (buffer-name))))))
      (pop-to-buffer source)
      (widen)
      (goto-char pos))))

(defun borges--numbered-block (name)
  "Where the block Borges calls NAME (block-N, call-N) begins, or nil.
Borges numbers source blocks and #+call: lines apart, in the order of
the document (this buffer, when it includes nothing)."
  (when (string-match "\\`\\(block\\|call\\)-\\([0-9]+\\)\\'" name)
    (let ((type (if (equal (match-string 1 name) "call") 'babel-call 'src-block))
          (n (string-to-number (match-string 2 name))))
      (plist-get (nth (1- n) (borges--blocks (list type))) :begin))))

(defun borges-status-log ()
  "Show the log of the block of this line."
  (interactive)
  (let ((name (borges--status-block))
        (state (get-text-property (line-beginning-position) 'borges-state)))
    (borges--log-open borges--status-id name borges--status-address
                      (if (member state '("failed" "lost")) "stderr" "stdout"))))

(defun borges-status-kill ()
  "Kill the block of this line."
  (interactive)
  (let ((name (borges--status-block)))
    (when (or (not borges-confirm-kill) (y-or-n-p (format "Kill block %s? " name)))
      (borges--with-id-call borges--status-id
        (borges--call "POST" (format "/org/%s/blocks/%s/kill" borges--status-id
                                     (url-hexify-string name))
                      :address borges--status-address))
      (message "Borges: killed %s" name)
      (revert-buffer))))

(defun borges-status-restart ()
  "Run the block of this line again."
  (interactive)
  (let ((name (borges--status-block))
        (id borges--status-id))
    (borges--with-id-call id
      (borges--call "POST" (format "/org/%s/blocks/%s/restart" id (url-hexify-string name))
                    :address borges--status-address))
    (when (buffer-live-p borges--status-source)
      (with-current-buffer borges--status-source (borges--refollow id)))
    (message "Borges: restarted %s" name)
    (revert-buffer)))

;;;; Logs

(defvar-local borges--log-id nil "Document of this log buffer.")
(defvar-local borges--log-block nil "Block of this log buffer.")
(defvar-local borges--log-address nil "Server of this log buffer.")
(defvar-local borges--log-stream "stdout" "Stream this log buffer shows.")
(defvar-local borges--log-offset 0 "Bytes of the log already shown.")
(defvar-local borges--log-ended nil "Whether the block had ended at the last look.")
(defvar-local borges--log-timer nil "Timer following this log.")
(defvar-local borges--log-busy nil "Whether a request is on its way.")

(defvar borges-log-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map "s" #'borges-log-switch-stream)
    map)
  "Keymap of `borges-log-mode'.")

(define-derived-mode borges-log-mode special-mode "Borges-Log"
  "The output of a Borges block, followed while it runs.
\\<borges-log-mode-map>\\[borges-log-switch-stream] switches between stdout and
stderr, \\[revert-buffer] shows it again from its beginning."
  (setq-local revert-buffer-function #'borges--log-revert)
  (add-hook 'kill-buffer-hook #'borges--log-stop nil t))

;;;###autoload
(defun borges-log (&optional stderr)
  "Show the output of the block at point, following it as it grows.
With prefix argument STDERR, or when the block failed, its stderr."
  (interactive "P")
  (let* ((target (borges--target "Log of block: "))
         (run (car (borges--run-at-point)))
         (name (cdr target))
         (state (and run (car (gethash name (borges--run-states run))))))
    (borges--log-open (car target) name (if run (borges--run-address run) (borges--address))
                      (if (or stderr (member state '("failed" "lost"))) "stderr" "stdout"))))

(defun borges--log-open (id name address stream)
  "Show and follow STREAM of block NAME of document ID at ADDRESS."
  (let ((buffer (get-buffer-create (format "*borges log %s %s*" id name))))
    (with-current-buffer buffer
      (unless (derived-mode-p 'borges-log-mode) (borges-log-mode))
      (setq borges--log-id id borges--log-block name borges--log-address address)
      (borges--log-restart stream))
    (display-buffer buffer)
    buffer))

(defun borges--log-restart (stream)
  "Show STREAM from its beginning and follow it."
  (borges--log-stop)
  (let ((inhibit-read-only t)) (erase-buffer))
  (setq borges--log-stream stream borges--log-offset 0 borges--log-ended nil
        header-line-format (format "%s of block %s (document %s)"
                                   stream borges--log-block borges--log-id))
  (borges--log-tick (current-buffer))
  (setq borges--log-timer (run-with-timer borges-poll-interval borges-poll-interval
                                          #'borges--log-tick (current-buffer))))

(defun borges--log-revert (&rest _)
  "Show the log again from its beginning (for `revert-buffer')."
  (borges--log-restart borges--log-stream))

(defun borges-log-switch-stream ()
  "Show the other stream (stdout or stderr)."
  (interactive)
  (borges--log-restart (if (equal borges--log-stream "stdout") "stderr" "stdout")))

(defun borges--log-stop ()
  "Stop following this log."
  (when (timerp borges--log-timer) (cancel-timer borges--log-timer))
  (setq borges--log-timer nil))

(defun borges--log-tick (buffer)
  "Fetch what BUFFER's log has grown by, and whether its block has ended."
  (when (buffer-live-p buffer)
    (with-current-buffer buffer
      (unless borges--log-busy
        (setq borges--log-busy t)
        (let ((ended borges--log-ended)
              (fail (lambda (msg _status)
                      (when (buffer-live-p buffer)
                        (with-current-buffer buffer
                          (setq borges--log-busy nil)
                          (borges--log-stop)))
                      (message "%s" msg))))
          (borges--request
           "GET" (format "/org/%s/blocks/%s/log?stream=%s&offset=%d" borges--log-id
                         (url-hexify-string borges--log-block) borges--log-stream borges--log-offset)
           :accept "text/plain" :address borges--log-address :errback fail
           :callback
           (lambda (text)
             (when (buffer-live-p buffer)
               (with-current-buffer buffer
                 (let ((inhibit-read-only t))
                   (save-excursion
                     (goto-char (point-max))
                     (insert text)))
                 (setq borges--log-offset (+ borges--log-offset
                                             (string-bytes (encode-coding-string text 'utf-8))))
                 (if (and ended (string-empty-p text))
                     (progn (setq borges--log-busy nil)
                            (borges--log-stop)
                            (setq header-line-format (concat header-line-format " — ended")))
                   (borges--request
                    "GET" (format "/org/%s.json" borges--log-id) :address borges--log-address
                    :errback fail
                    :callback
                    (lambda (doc)
                      (when (buffer-live-p buffer)
                        (with-current-buffer buffer
                          (setq borges--log-busy nil)
                          (let ((b (cl-find borges--log-block
                                            (alist-get 'blocks (borges--json doc))
                                            :key (lambda (b) (alist-get 'name b))
                                            :test #'equal)))
                            (setq borges--log-ended
                                  (or (null b)
                                      (member (alist-get 'state b) borges--terminal-states))))))))))))))))))

(provide 'borges)
;;; borges.el ends here

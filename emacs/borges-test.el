;;; borges-test.el --- Tests of borges.el against a running Borges  -*- lexical-binding: t -*-

;;; Commentary:

;; Run by cmd/borges/emacs_client_test.go, which starts the server and
;; gives these tests its address and a scratch directory:
;;
;;   BORGES_TEST_ADDR        a server without a token
;;   BORGES_TEST_TOKEN_ADDR  a server wanting BORGES_TEST_TOKEN
;;   BORGES_TEST_DOWN_ADDR   an address where nothing listens
;;   BORGES_TEST_DIR         where documents are written
;;
;; Every wait is an `accept-process-output' loop with a deadline, so a
;; test never blocks on Emacs's asynchronous requests.

;;; Code:

(require 'ert)
(require 'borges)

(defvar borges-test-addr (getenv "BORGES_TEST_ADDR"))
(defvar borges-test-dir (getenv "BORGES_TEST_DIR"))

(setq org-confirm-babel-evaluate nil
      borges-poll-interval 0.2
      borges-confirm-kill nil
      auth-sources nil)

(defun borges-test--wait (what predicate &optional seconds)
  "Let Emacs run until PREDICATE holds, SECONDS at most; fail naming WHAT."
  (let ((deadline (+ (float-time) (or seconds 60))))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or (funcall predicate)
        (ert-fail (list "timed out waiting for" what)))))

(defun borges-test--doc (name text)
  "Write TEXT to the file NAME in the scratch directory and visit it."
  (let ((file (expand-file-name name borges-test-dir)))
    (make-directory (file-name-directory file) t)
    (when (get-file-buffer file)
      (with-current-buffer (get-file-buffer file)
        (set-buffer-modified-p nil)
        (kill-buffer)))
    (with-temp-file file (insert text))
    (find-file-noselect file)))

(defun borges-test--has (regexp)
  "Whether the current buffer's text matches REGEXP."
  (string-match-p regexp (buffer-substring-no-properties (point-min) (point-max))))

(defun borges-test--server-text (id)
  "Document ID with its results, as the server writes it."
  (borges--call "GET" (format "/org/%s.org" id) :accept "text/org"))

(defun borges-test--ended (run)
  "Whether RUN is followed no more."
  (and (borges--run-id run) (not (timerp (borges--run-timer run)))
       (null (borges--run-pending run))))

(ert-deftest borges-test-async-results-per-block ()
  "Results arrive per block, in place even after edits elsewhere."
  (let* ((flag (expand-file-name "async-flag" borges-test-dir))
         (buffer (borges-test--doc
                  "async.org"
                  (concat "#+borgesaddress: " borges-test-addr "\n"
                          "* Blocks\n"
                          "#+name: fast\n#+begin_src sh\necho fast\n#+end_src\n\n"
                          "Prose between.\n\n"
                          "#+name: slow\n#+begin_src sh\n"
                          "for i in $(seq 6000); do [ -f " flag " ] && break; sleep 0.1; done\n"
                          "echo slow\n#+end_src\n\n"
                          "#+begin_src sh\necho anon\n#+end_src\n"))))
    (with-current-buffer buffer
      (borges-mode-maybe)
      (should borges-mode)
      (let ((run (borges-submit)))
        ;; Submitting returns before the server has answered.
        (should (null (borges--run-id run)))
        (borges-test--wait "fast's result" (lambda () (borges-test--has "#\\+RESULTS: fast\n: fast\n")))
        (borges-test--wait "anon's result" (lambda () (borges-test--has "#\\+RESULTS:\n: anon\n")))
        ;; The slow block is still running: its placeholder is there, and
        ;; the mode line says how far the document is.
        (should (borges-test--has "#\\+RESULTS: slow\n: Borges: running (document [a-z0-9]+)\n"))
        (should (equal borges--progress " Borges: 2/3 running"))
        (should (equal (borges--mode-line) " Borges: 2/3 running"))
        ;; Edits elsewhere, before and between the blocks.
        (goto-char (point-min))
        (forward-line 1)
        (insert "Inserted line one.\nInserted line two.\n")
        (goto-char (point-min))
        (search-forward "Prose between.\n")
        (insert "More prose.\n")
        (goto-char (point-min))
        (search-forward "#+name: slow\n")
        (forward-line -1)
        (insert "#+header: :exports both\n")
        (goto-char (point-max))
        (insert "\nTrailing text.\n")
        (with-temp-file flag)
        (borges-test--wait "slow's result" (lambda () (borges-test--has "#\\+RESULTS: slow\n: slow\n")))
        (borges-test--wait "the document's end" (lambda () (borges-test--ended run)))
        (should (equal borges--progress " Borges: 3/3 finished"))
        ;; Without the edits, the buffer is the server's document.
        (should (equal (replace-regexp-in-string
                        (concat "Inserted line one\\.\nInserted line two\\.\n\\|More prose\\.\n"
                                "\\|#\\+header: :exports both\n\\|\nTrailing text\\.\n")
                        "" (buffer-substring-no-properties (point-min) (point-max)))
                       (borges-test--server-text (borges--run-id run))))))))

(ert-deftest borges-test-buffer-sent-once ()
  "A buffer's text is not decoded again by the server.
Emacs drops the first of two BOMs reading the file; the server keeps
the second, and gives the document back as the buffer holds it."
  (with-current-buffer (borges-test--doc
                        "twobom.org"
                        (concat "\ufeff\ufeff# two BOMs\n"
                                "#+borgesaddress: " borges-test-addr "\n"
                                "#+begin_src sh\necho once\n#+end_src\n"))
    (should (equal (buffer-substring-no-properties (point-min) (+ (point-min) 2)) "\ufeff#"))
    (let ((run (borges-submit)))
      (borges-test--wait "the document's end" (lambda () (borges-test--ended run)))
      (should (equal (borges-test--server-text (borges--run-id run))
                     (buffer-substring-no-properties (point-min) (point-max)))))))

(ert-deftest borges-test-deleted-block ()
  "The result of a block deleted while it ran goes nowhere."
  (let ((flag (expand-file-name "deleted-flag" borges-test-dir)))
    (with-current-buffer (borges-test--doc
                          "deleted.org"
                          (concat "#+borgesaddress: " borges-test-addr "\n"
                                  "#+begin_src sh\n"
                                  "for i in $(seq 6000); do [ -f " flag " ] && break; sleep 0.1; done\n"
                                  "echo gone\n#+end_src\n"
                                  "#+begin_src sh :results silent\necho stays\n#+end_src\n"))
      (let ((run (borges-submit)))
        (borges-test--wait "the placeholder" (lambda () (borges-test--has ": Borges: running")))
        ;; Delete the first block and its placeholder.
        (goto-char (point-min))
        (forward-line 1)
        (delete-region (point) (progn (search-forward "#+begin_src sh :results silent") (forward-line 0) (point)))
        (with-temp-file flag)
        (borges-test--wait "the document's end" (lambda () (borges-test--ended run)))
        (should (equal (buffer-substring-no-properties (point-min) (point-max))
                       (concat "#+borgesaddress: " borges-test-addr "\n"
                               "#+begin_src sh :results silent\necho stays\n#+end_src\n")))))))

(ert-deftest borges-test-session-blocks-needed ()
  "A block of a session is sent with the blocks of its session before it."
  (let ((text (concat "#+begin_src sh :session s\nx=1\n#+end_src\n\n"
                      "#+begin_src sh\necho other\n#+end_src\n\n"
                      "#+begin_src python :session s\ny = 2\n#+end_src\n\n"
                      "#+begin_src bash :session s\necho $x\n#+end_src\n\n"
                      "#+begin_src sh :session s\necho after\n#+end_src\n")))
    (should (equal (borges--only-blocks text 13)
                   (concat "#+begin_src sh :session s\nx=1\n#+end_src\n\n"
                           "#+begin_src sh :eval no\necho other\n#+end_src\n\n"
                           "#+begin_src python :session s :eval no\ny = 2\n#+end_src\n\n"
                           "#+begin_src bash :session s\necho $x\n#+end_src\n\n"
                           "#+begin_src sh :session s :eval no\necho after\n#+end_src\n")))))

(ert-deftest borges-test-ctrl-c-ctrl-c ()
  "C-c C-c runs the block at point on Borges, with what it needs only."
  (let ((buffer (borges-test--doc
                 "cc.org"
                 (concat "#+borgesaddress: " borges-test-addr "\n"
                         "#+name: base\n#+begin_src sh\necho base\n#+end_src\n\n"
                         "#+name: other\n#+begin_src sh\necho other\n#+end_src\n\n"
                         "#+name: top\n#+begin_src sh :var b=base\necho \"top $b\"\n#+end_src\n\n"
                         "#+name: local\n#+begin_src emacs-lisp :borges no\n(+ 1 2)\n#+end_src\n"))))
    (with-current-buffer buffer
      (borges-mode 1)
      ;; :borges no: Babel runs it here, at once.
      (goto-char (point-min))
      (search-forward "(+ 1 2)")
      (org-ctrl-c-ctrl-c)
      (should (borges-test--has "#\\+RESULTS: local\n: 3\n"))
      (should (null borges--runs))
      ;; The block at point, on Borges: a placeholder, then its result.
      (goto-char (point-min))
      (search-forward "echo \"top")
      (org-ctrl-c-ctrl-c)
      (borges-test--wait "the placeholder"
                         (lambda () (borges-test--has "#\\+RESULTS: top\n: Borges: running")))
      (let ((run (car borges--runs)))
        (borges-test--wait "top's result" (lambda () (borges-test--has "#\\+RESULTS: top\n: top base\n")))
        (borges-test--wait "the document's end" (lambda () (borges-test--ended run)))
        ;; Only the block asked for has its result written; the block it
        ;; needs ran, the other did not.
        (should-not (borges-test--has "#\\+RESULTS: base"))
        (should-not (borges-test--has "#\\+RESULTS: other"))
        ;; C-c b l on the block: its output.
        (goto-char (point-min))
        (search-forward "echo \"top")
        (with-current-buffer (funcall (key-binding (kbd "C-c b l")))
          (borges-test--wait "top's log" (lambda () (borges-test--has "\\`top base\n\\'"))))
        (let ((blocks (alist-get 'blocks (borges-document (borges--run-id run)))))
          (should (equal (alist-get 'state (cl-find "base" blocks :key (lambda (b) (alist-get 'name b))
                                                    :test #'equal))
                         "finished"))
          (should (equal (alist-get 'reason (cl-find "other" blocks :key (lambda (b) (alist-get 'name b))
                                                     :test #'equal))
                         ":eval no"))))))
  ;; C-c C-v b (the whole buffer) sends it as one document.
  (with-current-buffer "cc.org"
    (let ((before (length borges--runs)))
      (org-babel-execute-buffer)
      (borges-test--wait "the document" (lambda () (= (length borges--runs) (1+ before))))
      (let ((run (car borges--runs)))
        (borges-test--wait "the document's end" (lambda () (borges-test--ended run)))
        (should (borges-test--has "#\\+RESULTS: other\n: other\n"))
        (should (borges-test--has "#\\+RESULTS: base\n: base\n")))))
  ;; Without the mode, :borges yes sends the block all the same.
  (let ((borges-address borges-test-addr)
        (buffer (borges-test--doc "cc-yes.org" "#+begin_src sh :borges yes\necho yes\n#+end_src\n")))
    (with-current-buffer buffer
      (should-not borges-mode)
      (goto-char (point-min))
      (forward-line 1)
      (org-ctrl-c-ctrl-c)
      (borges-test--wait "the result" (lambda () (borges-test--has "#\\+RESULTS:\n: yes\n"))))))

(defun borges-test--status-line (name)
  "Go to the line of block NAME in the status buffer; return its text."
  (goto-char (point-min))
  (let ((match (text-property-search-forward 'borges-block name t)))
    (when match
      (goto-char (prop-match-beginning match))
      (buffer-substring-no-properties (line-beginning-position) (line-end-position)))))

(defun borges-test--press (key)
  "Run the command KEY is bound to here."
  (call-interactively (key-binding (kbd key))))

(ert-deftest borges-test-status-buffer ()
  "The status buffer refreshes itself; g, RET, l, k and r work."
  (let* ((org (borges-test--doc
               "status.org"
               (concat "#+borgesaddress: " borges-test-addr "\n#+title: Status\n"
                       "#+name: quick\n#+begin_src sh\necho quick out\n#+end_src\n\n"
                       "#+name: sleeper\n#+begin_src sh\nfor i in $(seq 6000); do sleep 0.1; done\n#+end_src\n\n"
                       "#+name: broken\n#+begin_src sh\necho out; echo oops >&2; exit 3\n#+end_src\n")))
         (run (with-current-buffer org (borges-submit))))
    (borges-test--wait "the id" (lambda () (borges--run-id run)))
    (let ((status (with-current-buffer org (borges-status))))
      (with-current-buffer status
        (should (derived-mode-p 'borges-status-mode))
        (borges-test--wait "quick finished and sleeper running"
                           (lambda ()
                             (and (string-match-p "finished +0 " (or (borges-test--status-line "quick") ""))
                                  (string-match-p "running" (or (borges-test--status-line "sleeper") "")))))
        ;; g refreshes (it used to ask for the buffer's file).
        (borges-test--press "g")
        (borges-test--wait "the refresh" (lambda () (borges-test--status-line "sleeper")))
        ;; l: the log of the block of the line.
        (borges-test--status-line "quick")
        (let ((log (borges-test--press "l")))
          (with-current-buffer log
            (borges-test--wait "quick's output" (lambda () (borges-test--has "\\`quick out\n\\'")))))
        ;; A failed block: its exit code, and l shows its stderr.
        (borges-test--wait "broken failed"
                           (lambda () (string-match-p "failed +3 " (or (borges-test--status-line "broken") ""))))
        (let ((log (borges-test--press "l")))
          (with-current-buffer log
            (borges-test--wait "broken's stderr" (lambda () (borges-test--has "\\`oops\n\\'")))
            (should (string-match-p "\\`stderr of block broken" header-line-format))))
        ;; k kills the block; the buffer shows it without being asked.
        (borges-test--status-line "sleeper")
        (borges-test--press "k")
        (borges-test--wait "sleeper killed"
                           (lambda () (string-match-p "killed" (or (borges-test--status-line "sleeper") ""))))
        ;; In the Org buffer the killed block's placeholder gives way to
        ;; what Borges writes for a killed block: a drawer saying so.
        (with-current-buffer org
          (borges-test--wait "the placeholder replaced by the killed note"
                             (lambda () (borges-test--has "#\\+RESULTS: sleeper\n:results:\nborges: killed on request"))))
        ;; r runs it again, and its placeholder is back.
        (borges-test--status-line "sleeper")
        (borges-test--press "r")
        (borges-test--wait "sleeper running again"
                           (lambda () (string-match-p "running\\|queued\\|staged"
                                                      (or (borges-test--status-line "sleeper") ""))))
        (with-current-buffer org
          (borges-test--wait "the placeholder back"
                             (lambda () (borges-test--has "#\\+RESULTS: sleeper\n: Borges: running"))))
        ;; RET on an unnamed block not followed here finds it by its number.
        (let ((borges--status-source
               (borges-test--doc "numbered.org" "* x\n#+begin_src sh\ntrue\n#+end_src\n#+begin_src sh\ntrue\n#+end_src\n"))
              (inhibit-read-only t))
          (goto-char (point-max))
          (insert (propertize "block-2\n" 'borges-block "block-2" 'borges-line 99))
          (forward-line -1)
          (borges-test--press "RET")
          (should (equal (buffer-name) "numbered.org"))
          (should (= (line-number-at-pos) 5))
          (switch-to-buffer status)
          (revert-buffer))
        ;; RET visits the block in the Org buffer.
        (borges-test--status-line "sleeper")
        (borges-test--press "RET")
        (should (eq (current-buffer) org))
        (should (looking-at "#\\+name: sleeper\n"))))
    (with-current-buffer org (borges-kill))))

(ert-deftest borges-test-server-down ()
  "With nothing at the address, the error says so, and how to start one."
  (let* ((down (getenv "BORGES_TEST_DOWN_ADDR"))
         (want (format "Borges is not answering at %s (is it running? M-x borges-start starts one)" down)))
    (with-current-buffer (borges-test--doc
                          "down.org" (concat "#+borgesaddress: " down "\n#+begin_src sh\necho\n#+end_src\n"))
      (borges-submit)
      (borges-test--wait "the error" (lambda () borges-last-error) 30)
      (should (equal borges-last-error want))
      (should (equal (cadr (should-error (borges-document "someid") :type 'user-error)) want)))))

(ert-deftest borges-test-rejection ()
  "A rejection names lines and blocks, each at its own file (next-error)."
  (borges-test--doc "rej-part.org" "* Part\n#+name: bad\n#+begin_src sh :cpu -1\ntrue\n#+end_src\n")
  (with-current-buffer (borges-test--doc
                        "rej.org" (concat "#+borgesaddress: " borges-test-addr "\n"
                                          "#+include: \"rej-part.org\"\n"
                                          "#+begin_src sh :timeout soon\ntrue\n#+end_src\n"))
    (borges-submit)
    (borges-test--wait "the rejection" (lambda () borges-last-error))
    (should (string-match-p "\\`Borges rejected the document (400):\n" borges-last-error))
    (should (string-match-p "\n  line 3: block bad: :cpu: \"-1\" is not a positive number of CPUs"
                            borges-last-error))
    (should (string-match-p "\n  line 7: block block-2: :timeout: " borges-last-error))
    (should-not (string-match-p ": : " borges-last-error)))
  (with-current-buffer "*borges problems*"
    (should (borges-test--has (regexp-quote (concat (expand-file-name "rej-part.org" borges-test-dir)
                                                    ":2: block bad: :cpu:"))))
    (should (borges-test--has (regexp-quote (concat (expand-file-name "rej.org" borges-test-dir)
                                                    ":3: block block-2: :timeout:"))))
    (goto-char (point-min))
    (next-error)
    (let ((window (selected-window)))
      (with-current-buffer (window-buffer window)
        (should (equal (buffer-file-name) (expand-file-name "rej-part.org" borges-test-dir)))
        (should (= (line-number-at-pos (window-point window)) 2))))))

(ert-deftest borges-test-unknown-id-forgotten ()
  "After a 404 the id is forgotten, not kept for good."
  (with-current-buffer (borges-test--doc "gone.org" (concat "#+borgesaddress: " borges-test-addr "\n"))
    (setq borges-document-id "nosuchdocument")
    (let ((err (should-error (borges-document) :type 'user-error)))
      (should (string-match-p "\\`Borges has no document nosuchdocument (forgotten here)" (cadr err))))
    (should (null borges-document-id))
    (setq borges-document-id "nosuchdocument")
    (should-error (borges-kill) :type 'user-error)
    (should (null borges-document-id))))

(ert-deftest borges-test-token ()
  "401: a clear error; a token in auth-source is found and used."
  (let* ((addr (getenv "BORGES_TEST_TOKEN_ADDR"))
         (port (cadr (split-string addr ":")))
         (netrc (expand-file-name "authinfo" borges-test-dir))
         (text (concat "#+borgesaddress: " addr "\n#+name: t\n#+begin_src sh\necho token ok\n#+end_src\n")))
    (with-current-buffer (borges-test--doc "token.org" text)
      (borges-submit)
      (borges-test--wait "the error" (lambda () borges-last-error) 30)
      (should (equal borges-last-error
                     (format "Borges at %s wants a token: set `borges-token' or $BORGES_TOKEN, or store it in auth-source (user \"borges\")" addr))))
    (with-temp-file netrc
      (insert (format "machine 127.0.0.1 port %s login borges password %s\n"
                      port (getenv "BORGES_TEST_TOKEN"))))
    (let ((auth-sources (list netrc)))
      (auth-source-forget-all-cached)
      (with-current-buffer (borges-test--doc "token.org" text)
        (let ((run (borges-submit)))
          (borges-test--wait "the result" (lambda () (borges-test--has "#\\+RESULTS: t\n: token ok\n")))
          (should (borges--run-id run))
          (should (equal (cdr (assoc addr borges--tokens)) (getenv "BORGES_TEST_TOKEN"))))))))

(ert-deftest borges-test-token-asked-once ()
  "In an interactive Emacs, a 401 asks for the token once and saves it."
  (let* ((addr (getenv "BORGES_TEST_TOKEN_ADDR"))
         (netrc (expand-file-name "authinfo-new" borges-test-dir))
         (auth-sources (list netrc))
         (auth-source-save-behavior t)
         (borges--tokens nil)
         (asked nil)
         (noninteractive nil))
    (auth-source-forget-all-cached)
    (cl-letf (((symbol-function 'read-passwd)
               (lambda (prompt &rest _) (push prompt asked) (getenv "BORGES_TEST_TOKEN"))))
      (with-current-buffer (borges-test--doc
                            "asked.org" (concat "#+borgesaddress: " addr "\n#+name: a\n#+begin_src sh\necho asked\n#+end_src\n"))
        (dotimes (_ 2)
          (let ((run (borges-submit)))
            (borges-test--wait "the document's end" (lambda () (borges-test--ended run)))))
        (should (borges-test--has "#\\+RESULTS: a\n: asked\n"))))
    (should (equal asked (list (format "Borges token for 127.0.0.1:%s: " (cadr (split-string addr ":"))))))
    (should (string-match-p (concat "password " (getenv "BORGES_TEST_TOKEN"))
                            (with-temp-buffer (insert-file-contents netrc) (buffer-string))))))

(ert-deftest borges-test-calls ()
  "#+call: lines get their results too, and Borges's names."
  (with-current-buffer (borges-test--doc
                        "calls.org"
                        (concat "#+borgesaddress: " borges-test-addr "\n"
                                "#+name: double\n#+begin_src sh :var x=2\necho $((x*2))\n#+end_src\n\n"
                                "#+call: double(x=5)\n\n"
                                "#+name: named-call\n#+call: double(x=7)\n\n"
                                "#+begin_src sh\necho unnamed\n#+end_src\n"))
    (goto-char (point-min))
    (search-forward "#+call: double(x=5)")
    (should (equal (borges--block-name-at-point) "call-1"))
    (search-forward "echo unnamed")
    (should (equal (borges--block-name-at-point) "block-2"))
    (let ((run (borges-submit)))
      (borges-test--wait "the document's end" (lambda () (borges-test--ended run)))
      (should (borges-test--has "#\\+call: double(x=5)\n\n#\\+RESULTS:\n: 10\n"))
      (should (borges-test--has "#\\+RESULTS: named-call\n: 14\n"))
      (should (equal (buffer-substring-no-properties (point-min) (point-max))
                     (borges-test--server-text (borges--run-id run)))))))

(ert-deftest borges-test-includes ()
  "A document with #+include: and #+setupfile: runs as `borges submit' sends it."
  (borges-test--doc "inc/lib.org" "#+name: greet\n#+begin_src sh\necho world\n#+end_src\n")
  (borges-test--doc "inc/setup.org" "#+TITLE: From the setupfile\nprose is dropped\n")
  (with-current-buffer (borges-test--doc
                        "inc/main.org"
                        (concat "#+borgesaddress: " borges-test-addr "\n"
                                "#+setupfile: setup.org\n#+include: \"lib.org\"\n"
                                "#+name: hello\n#+begin_src sh :var g=greet\necho \"hello $g\"\n#+end_src\n"))
    (let ((resolved (borges-document-text)))
      (should (equal (car resolved)
                     (concat "#+borgesaddress: " borges-test-addr "\n"
                             "#+TITLE: From the setupfile\n"
                             "#+name: greet\n#+begin_src sh\necho world\n#+end_src\n"
                             "#+name: hello\n#+begin_src sh :var g=greet\necho \"hello $g\"\n#+end_src\n")))
      ;; Where each line comes from.
      (should (equal (aref (cdr resolved) 1)
                     (cons (expand-file-name "inc/setup.org" borges-test-dir) 1)))
      (should (equal (aref (cdr resolved) 3) (cons (expand-file-name "inc/lib.org" borges-test-dir) 2)))
      (should (equal (aref (cdr resolved) 6) (cons (current-buffer) 4))))
    (let ((run (borges-submit)))
      (borges-test--wait "hello's result" (lambda () (borges-test--has "#\\+RESULTS: hello\n: hello world\n")))
      (borges-test--wait "the document's end" (lambda () (borges-test--ended run)))
      (should (equal (buffer-substring-no-properties (point-min) (point-max))
                     (concat "#+borgesaddress: " borges-test-addr "\n"
                             "#+setupfile: setup.org\n#+include: \"lib.org\"\n"
                             "#+name: hello\n#+begin_src sh :var g=greet\necho \"hello $g\"\n#+end_src\n"
                             "\n#+RESULTS: hello\n: hello world\n"))))))

(ert-deftest borges-test-results-and-files ()
  "The whole document comes back in place, with the files it links to."
  (with-current-buffer (borges-test--doc
                        "files.org"
                        (concat "#+borgesaddress: " borges-test-addr "\n"
                                "#+name: report\n#+begin_src sh :results file :file out/report.txt\necho report\n#+end_src\n"))
    (let ((run (borges-submit)))
      (borges-test--wait "the document's end" (lambda () (borges-test--ended run)))
      (should (borges-test--has "#\\+RESULTS: report\n\\[\\[file:out/report.txt\\]\\]\n"))
      ;; The file the link points to arrives with it, as Babel would
      ;; have written it.
      (let ((report (expand-file-name "out/report.txt" borges-test-dir)))
        (borges-test--wait "out/report.txt" (lambda () (file-exists-p report)))
        (borges-test--wait "its content"
                           (lambda () (equal (with-temp-buffer (insert-file-contents report) (buffer-string))
                                             "report\n")))
        (delete-file report))
      (goto-char (point-min))
      (forward-line 1)
      (delete-region (point) (point-max))
      (borges-results t)
      (should (borges-test--has "#\\+RESULTS: report\n\\[\\[file:out/report.txt\\]\\]\n"))
      (should (equal (with-temp-buffer
                       (insert-file-contents (expand-file-name "out/report.txt" borges-test-dir))
                       (buffer-string))
                     "report\n")))))

(ert-deftest borges-test-dir-links ()
  "A :results file link of a block whose :dir is elsewhere is Babel's.
The server is told where the buffer's file is, and writes the link as
`org-babel-result-to-file' writes it in this buffer."
  (require 'ob-core)
  (let* ((elsewhere (expand-file-name "elsewhere" borges-test-dir))
         (buffer (borges-test--doc
                  "notes/links.org"
                  (concat "#+borgesaddress: " borges-test-addr "\n"
                          "#+name: abs\n#+begin_src sh :dir " elsewhere
                          " :mkdirp yes :results file :file a.txt\necho a\n#+end_src\n"))))
    (with-current-buffer buffer
      (let ((want (let ((default-directory (file-name-as-directory elsewhere)))
                    (org-babel-result-to-file "a.txt")))
            (run (borges-submit)))
        (should (equal want "[[file:../elsewhere/a.txt]]"))
        (borges-test--wait "the document's end" (lambda () (borges-test--ended run)))
        (should (borges-test--has (concat "#\\+RESULTS: abs\n" (regexp-quote want) "\n")))))))

(ert-deftest borges-test-package-hygiene ()
  "Byte-compiles with warnings as errors; checkdoc is silent; autoloads on commands."
  (let* ((source (locate-library "borges.el" t))
         (copy (expand-file-name "hygiene/borges.el" borges-test-dir))
         (warnings nil))
    (make-directory (file-name-directory copy) t)
    (copy-file source copy t)
    (let ((byte-compile-error-on-warn t)
          (byte-compile-log-warning-function
           (lambda (string &rest _) (push string warnings))))
      (should (byte-compile-file copy)))
    (should (null warnings))
    (require 'checkdoc)
    (cl-letf (((symbol-function 'display-warning)
               (lambda (_type message &rest _) (push message warnings))))
      (checkdoc-file copy))
    (should (equal warnings nil))
    ;; Every autoload cookie is on a command.
    (with-temp-buffer
      (insert-file-contents source)
      (goto-char (point-min))
      (while (re-search-forward "^;;;###autoload\n" nil t)
        (let* ((form (save-excursion (read (current-buffer))))
               (name (cadr form)))
          (when (eq (car-safe name) 'quote) (setq name (cadr name)))
          (should (commandp name)))))
    (should (get 'org-borges-exec 'byte-obsolete-info))
    (should (eq (indirect-function 'org-borges-exec) (indirect-function 'borges-submit)))))

(ert-deftest borges-test-messages ()
  "Answers the server refuses read as sentences, with nothing stray."
  (should (equal (borges--failure-message 403 "request from another origin refused\n" "h:1")
                 "Borges at h:1 refused the request (403): request from another origin refused"))
  (should (equal (borges--failure-message
                  400 "{\"error\": \"document rejected\", \"problems\": [{\"line\": 10, \"block\": \"a\", \"why\": \"dependency cycle: a, b\"}, {\"line\": 2, \"arg\": \":cpu\", \"why\": \"bad\"}]}"
                  "h:1")
                 "Borges rejected the document (400):\n  line 10: block a: dependency cycle: a, b\n  line 2: :cpu: bad"))
  (should (equal (borges--failure-message 500 "boom\n" "h:1") "Borges at h:1: 500 boom"))
  (should (equal (borges--failure-message 401 "missing or wrong bearer token\n" "h:1" "wrong")
                 "Borges at h:1 refused the token (401): check `borges-token', $BORGES_TOKEN or auth-source")))

(ert-deftest borges-test-start ()
  "M-x borges-start starts a server this client then reaches."
  (let* ((port (getenv "BORGES_TEST_START_PORT"))
         (borges-program (getenv "BORGES_TEST_PROGRAM"))
         (borges-start-arguments (list "-port" port "-data" (expand-file-name "data" borges-test-dir)))
         (borges-address (concat "127.0.0.1:" port))
         (process (borges-start)))
    (unwind-protect
        (let (answer)
          (borges-test--wait "the server"
                             (lambda ()
                               (setq answer (ignore-errors (borges--call "GET" "/org")))))
          (should (stringp answer)))
      (delete-process process))))

(provide 'borges-test)
;;; borges-test.el ends here

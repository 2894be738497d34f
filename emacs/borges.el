;;; borges.el --- Run Org Babel documents on Borges  -*- lexical-binding: t -*-

;; Version: 0.1
;; Package-Requires: ((emacs "27.1"))
;; Keywords: outlines, processes

;;; Commentary:

;; Send the current Org buffer to a Borges server, which runs every
;; source block as a task (on the server's machine or a Mesos cluster),
;; then watch it and bring the document back with each block's #+RESULTS:
;; written as Babel writes them.
;;
;;   M-x org-borges-exec      send the buffer; remembers the document's id
;;   M-x borges-status        show the blocks and their states
;;   M-x borges-results       the document with its results, in a buffer
;;                            (with C-u: replace this buffer's text, and
;;                            write the files of :results file blocks
;;                            next to it, as Babel would have)
;;   M-x borges-fetch-files   write those files (into this buffer's directory)
;;   M-x borges-kill          kill everything the document runs
;;
;; The server is `borges-address', or the buffer's #+borgesaddress:
;; setting; `borges-token' (or $BORGES_TOKEN) is sent as a bearer token.

;;; Code:

(require 'url)
(require 'url-http)
(require 'json)
(require 'org)

(defgroup borges nil "Run Org Babel documents on Borges." :group 'org)

(defcustom borges-address "127.0.0.1:8888"
  "Address of the Borges server (host:port or a URL).
A buffer's #+borgesaddress: keyword takes precedence."
  :type 'string)

(defcustom borges-token nil
  "Bearer token for the Borges server, or nil (then $BORGES_TOKEN)."
  :type '(choice (const nil) string))

(defcustom borges-results-fetch-files t
  "Whether `borges-results' replacing the buffer also writes its files.
These are the files its :results file blocks link to, written next to
the buffer's file as Babel would have written them."
  :type 'boolean)

(defvar-local borges-document-id nil
  "Id of the Borges document last sent from this buffer.")

(defun borges--address ()
  "The server's base URL for the current buffer."
  (let* ((kw (cdr (assoc "BORGESADDRESS" (org-collect-keywords '("BORGESADDRESS")))))
         (addr (or (car kw) borges-address)))
    (if (string-match-p "://" addr) (string-trim-right addr "/") (concat "http://" addr))))

(defun borges--headers ()
  "The bearer token header, when there is a token."
  (let ((token (or borges-token (getenv "BORGES_TOKEN"))))
    (when token `(("Authorization" . ,(concat "Bearer " token))))))

(defun borges--request (method path &optional body accept)
  "Make a METHOD request for PATH with BODY; return (STATUS . TEXT)."
  (let* ((url-request-method method)
         ;; url.el writes its own Accept header from this variable.
         (url-mime-accept-string (or accept "application/json"))
         (url-request-extra-headers
          (append '(("Content-Type" . "text/org; charset=utf-8")) (borges--headers)))
         (url-request-data (and body (encode-coding-string body 'utf-8)))
         (buffer (url-retrieve-synchronously (concat (borges--address) path) t t 30)))
    (unless buffer (user-error "Borges: no answer from %s" (borges--address)))
    (with-current-buffer buffer
      (unwind-protect
          (progn
            (goto-char (point-min))
            (let ((status (and (looking-at "HTTP/[0-9.]+ \\([0-9]+\\)")
                               (string-to-number (match-string 1)))))
              (re-search-forward "\r?\n\r?\n" nil 'move)
              (cons status (decode-coding-string
                            (buffer-substring-no-properties (point) (point-max)) 'utf-8))))
        (kill-buffer buffer)))))

(defun borges--json (text)
  "Parse TEXT as JSON into alists."
  (let ((json-object-type 'alist) (json-array-type 'list) (json-key-type 'symbol))
    (json-read-from-string text)))

(defun borges--check (answer)
  "Signal an error for a non-2xx ANSWER, else return its text."
  (let ((status (car answer)) (text (cdr answer)))
    (unless (and status (< 199 status 300))
      (user-error "Borges: %s %s" (or status "no status")
                  (condition-case nil
                      (let* ((j (borges--json text))
                             (problems (alist-get 'problems j)))
                        (concat (alist-get 'error j)
                                (mapconcat (lambda (p)
                                             (format "\n  line %s: %s: %s"
                                                     (alist-get 'line p)
                                                     (or (alist-get 'arg p) "")
                                                     (alist-get 'why p)))
                                           problems "")))
                    (error text))))
    text))

(defun borges--id ()
  "The document id of this buffer, asking if none was sent."
  (or borges-document-id
      (setq borges-document-id (read-string "Borges document id: "))))

;;;###autoload
(defun org-borges-exec ()
  "Send the current buffer to Borges, which runs its source blocks."
  (interactive)
  (let* ((answer (borges--request "POST" "/org"
                                  (buffer-substring-no-properties (point-min) (point-max))))
         (doc (borges--json (borges--check answer))))
    (setq borges-document-id (alist-get 'id doc))
    (message "Borges: document %s, %d block(s)" borges-document-id
             (length (alist-get 'blocks doc)))
    borges-document-id))

(defalias 'borges-submit #'org-borges-exec)

(defun borges-document (&optional id)
  "The state of document ID (this buffer's by default), as an alist."
  (borges--json (borges--check (borges--request "GET" (format "/org/%s.json" (or id (borges--id)))))))

;;;###autoload
(defun borges-status (&optional id)
  "Show the blocks of document ID and their states."
  (interactive)
  (let ((doc (borges-document id)))
    (with-current-buffer (get-buffer-create "*borges status*")
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert (format "%s  %s  %s\n" (alist-get 'id doc) (alist-get 'state doc)
                        (or (alist-get 'title doc) "")))
        (dolist (b (alist-get 'blocks doc))
          (insert (format "  %-24s %-8s %s\n" (alist-get 'name b) (alist-get 'lang b)
                          (if (eq (alist-get 'runnable b) t)
                              (alist-get 'state b)
                            (concat "not runnable: " (alist-get 'reason b)))))))
      (special-mode)
      (display-buffer (current-buffer)))
    doc))

;;;###autoload
(defun borges-results (&optional replace id)
  "Fetch the document with its results.
Show it in a buffer, or with prefix argument REPLACE put it in place of
this buffer's text."
  (interactive "P")
  (let ((text (borges--check (borges--request "GET" (format "/org/%s.org" (or id (borges--id)))
                                              nil "text/org"))))
    (if replace
        (let ((p (point)))
          (erase-buffer)
          (insert text)
          (goto-char (min p (point-max)))
          (when borges-results-fetch-files
            (borges-fetch-files id)))
      (with-current-buffer (get-buffer-create (format "*borges %s*" (or id borges-document-id)))
        (erase-buffer)
        (insert text)
        (org-mode)
        (goto-char (point-min))
        (display-buffer (current-buffer))))
    text))

;;;###autoload
(defun borges--relative-path-p (path)
  "Whether PATH stays under the directory it is relative to."
  (and (stringp path) (not (string-empty-p path))
       (not (file-name-absolute-p path))
       (not (member ".." (split-string path "/")))))

(defun borges--download (path dest)
  "Write the body of GET PATH to the file DEST, byte for byte."
  (let* ((url-request-method "GET")
         (url-request-extra-headers (borges--headers))
         (buffer (url-retrieve-synchronously (concat (borges--address) path) t t 30)))
    (unless buffer (user-error "Borges: no answer from %s" (borges--address)))
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

(defun borges-kill (&optional id)
  "Kill everything document ID runs."
  (interactive)
  (borges--check (borges--request "DELETE" (format "/org/%s" (or id (borges--id)))))
  (message "Borges: killed %s" (or id borges-document-id)))

(provide 'borges)
;;; borges.el ends here

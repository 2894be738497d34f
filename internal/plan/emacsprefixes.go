package plan

import "strings"

// emacsPrefixes are the prefixes (the part of a name before its first
// '-', letters and digits) of every symbol Emacs 28.2 holds in emacs -Q
// once Org 9.5.5, every ob-*.el of its and the modes of the languages
// Borges runs are loaded (variables, functions, features, properties:
// whatever its code names), measured by TestEmacsPrefixesMeasured. A
// variable whose prefix is none of them is one no code of Emacs's, Org's
// or Babel's binds, reads or watches (docVariable).
var emacsPrefixes = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`
	Auto BOD Buffer Byte C CUA Chinese Control Custom Cyrillic D DISPATCHES Down ESC Electric
	Followup Helper IN In Info LaTeX Latin LilyPond M MS Mail Man Math Message NO Original PC Pretty
	Reply S Snarf TeX UTF Up User View Windows X a3 a4 abbrev abbreviate abbreviated abbrevs abort
	about above accept access accessible across act activate active ad adapt adaptive add address
	adjust admin adobe advertised advice aegean affixation after agenda agent align alist all allout
	allow almost alpha already alter alternativnyj always amalgamating ancestors anchored ancient
	and ange angle animate annotation another ansi antlr any append apply appt apropos arabic
	archive arg arglist args argumentative aria arith around array article artist as ascii ask asm
	assamese assignment assoc assq async asynchronous at atomic attempt attribute auth authinfo auto
	autoarg autoconf autodoc autoload automatic automount avl awk b babel back background backquote
	backtrace backup backward bad balance barf base base64 base64url basic bassa bat batch battery
	baud bbdb bdf before beg beginning below benchmark bengali berkeley bibtex bidi big5 bin binary
	bindings binhex bitmap black blink block body bogus bold bookmark bool border boring both bottom
	bound bounds bovine box brace bracket break broken browse bs buffer bufferpos buffers bug build
	buried burmese bury button byte bytecomp bytedecomp byzantine c c0 c1 cache cairo cal calc
	calcDigit calcFunc calcVar calculate calendar call called can canadian cancel canlock cannot
	canonical canonicalize canonically capitalize capitalized car case catch category caucasian cc
	ccl cconv cd cdlatex cdr center cfd cfengine cfengine2 cfengine3 change changes char character
	charset check checkdoc checkout chess child children china chinese chinse choice choose cider
	cipher circular citation cite cjk cl class clean clear clipboard clock clone close cn code
	coding coffee col collapse colon color column combination combine combined combining comint
	command comment common comp compact compare compilation compile compiled compiler complete
	completing completion completions complex compose composition compound compress compression
	compute cond condition conf config configure confirm connection cons constants constrain context
	continuation continue control controlling convert cookie coordinates copy copyright count
	counting cp038 cp1047 cp1125 cp1250 cp1251 cp1252 cp1253 cp1254 cp1255 cp1256 cp1257 cp1258
	cp256 cp273 cp274 cp275 cp277 cp278 cp280 cp281 cp284 cp285 cp290 cp297 cp437 cp51932 cp65001
	cp737 cp775 cp850 cp851 cp852 cp855 cp857 cp858 cp860 cp861 cp862 cp863 cp865 cp866 cp866u cp869
	cp874 cp878 cp932 cp936 cp949 cp950 cperl cpp cps cram create creation crm crossref crypt css
	ctext ctl cua cuneiform current cursor cus custom customize customized cut cvs cwarn cycle
	cyclic cygwin cypriot cypro cyril cyrillic d dabbrev daemon dangling data date datetime days
	dbus dcl deactivate dead debbugs debian debug debugger decimal decipher decl declare decode
	decoded decompose decomposed decrease decrypt decryption dedicated def defalias default
	defcustom deferred define defined defining definition defun defvar degrees delay delayed delete
	deleted delimit delphi demote denato derived describe designate designation desktop detach
	detect devanagari device dframe diary dictionary diff dig digest digit dir direct directory
	dired dirtrack disable disabled disassemble discard dispatches display displayed displaying
	dissociated dives dnd dns do doc docstring doctex documentation doesnt dolist dom domain domino
	done dont dos dosified dotimes double down downcase doxygen drag dry dsssl dummy dump dumped
	duplicate duployan dynamic eager early easy ebcdic ebnf ebrowse ecb echo ecomplete edebug ediff
	ediff3 edir edirs edit editable editing edt effort efs egg egyptian eieio eight eldoc electric
	elide elint elisp elliptical eln elp else emacs emerge emoji empty emulation enable encode
	encoded encrypt encrypted encryption end ends enlarge enriched ensure entry env environment eol
	epa epatch epg equal erase erc error ert esc escape esh eshell ess etags etc ethio euc eucjp
	eudc eval even event ewoc eww example exc exchange exec executable execute executing exif
	existing exit expand expect expiration expired expiry explicit export exportable expr expression
	ext extended extent extern external extra extract ezimage f90 face facemenu faces faceup false
	fancy fast fbound feature feedmail fetch ff ffap fido field file fileloop filepos files filesets
	fill filladapt filter filtered find finder finish first fit fixed fixup flag flat flatten flex
	float floats flush flymake flyspell focus folding follow following followup font fontification
	fontset footnote for force foreground foreign form format forms forth fortran fortune forward
	found frame framep frames frameset free fringe fringes from front full fullscreen funarg func
	funcall function fundamental gap garbage gb18030 gb2312 gbk gc gcs gdb geiser gen general
	generate generated generic gensym georgian get getenv getting git glasses global globalized
	glyph glyphless gmm gnuplot gnus gnutls go goal got goto gpm graphic gravatar gray greater greek
	grep group grouped grow gtk gtkdoc gud gui gujarati gunjala gurmukhi gv h hack ham handle
	handler hands hangul hangul2 hangul3 hangul390 hanifi hanoi hard hash hashcash hashtable haskell
	header headings headline hebrew height help hex hexl hexlify hfy hi hide high highlight hilit
	hippie history hl hol hold holiday home hook horizontal host hourglass how hp hs hscroll html
	htmlfontify htmlize http httpd human hz i ibm038 ibm1047 ibm256 ibm273 ibm274 ibm275 ibm277
	ibm278 ibm280 ibm281 ibm284 ibm285 ibm290 ibm297 ibm437 ibm775 ibm850 ibm851 ibm852 ibm855
	ibm857 ibm860 ibm861 ibm862 ibm863 ibm865 ibm869 ibm874 ibuffer icalendar icomplete icon iconify
	id identifier ideographic idl idle idlwave ido ids ietf if ignore ignored iimage illegible image
	imagemagick imap imenu import imported in inactivate inactive inc include inconsistent increase
	increment indent indented index indian indic indicate indirect indium inexact inexpr inextern
	inf inferior info infodock inher inherit inhibit inhibited init initarg initial initialize
	inline inner innermost inode inotify input inscriptional insert installation insufficient int
	integer integral interactive intern internal interpreter interprogram interrupt intervals
	invalid inverse invert invisible invocation is isearch isearchb iso iso10646 iso639 iso8601
	iso8859 ispell iswitchb iter its iv ivy japan japanese java javadoc javascript jisx0213 jit jka
	join js json jump junet just justify kannada katakana kayah kbd keep kept key keyboard keymap
	keypad khitan kill killed kinsoku kkc kmacro knr koi8 koma korea korean kp lambda lang language
	lao large last latex latexenc latin latin1 lax lazy lcms lcms2 ld ldap leave left legal leim
	less let letter lexical lglyph lgstring libgnutls libxml like lilypond line linear linecolumn
	link linum lisp list listify literal load loadhist local locale locate lock locking log long
	looking lookup lossage low lower lpr lread ls lua lucid lunar m2 m4 mac macintosh macos macro
	macroexp macroexpand magic mahjong mail mailcap mailclient mailcrypt main mairix major make
	makefile malayalam malformed malloc man manual many map mark markdown marker masaram master
	match matching math matlab max maxima maximal maximize maximum mayan maybe mc meetei member
	memory mende menu mercury merge message messages meta metafont metapost method mh mhtml mid
	middle midnight mik mime min minibuffer minimal minimize minor misc missing mixal mm mml mml1991
	mml2015 mode modification modifier modify modula module momentary more morse most motif mounted
	mouse move moved moz ms msb msdos mspools mule multi multibyte multiple musical mute mutex
	mwheel name named namespace narrow native nato needs negative nested netrc network never new
	newline newsticker next nil nnagent nndiary nndir nndoc nndraft nneething nnfolder nnheader
	nnimap nnir nnmail nnmaildir nnmh nnml nnoo nnrss nnselect nnspool nntp nnvirtual nnweb no
	nobreak node non nonascii none nonincremental noo normal north not noweb nrepl nroff ns nslookup
	nsm null num number numbers numeric numerical nxml nyiakeng ob obarray obey obj objc object
	objects obsolete oc occur octave of off ok ol old omit on one only ooff op opascal open operate
	operating optimize opts order oref org orgtbl orig original oriya oset other ottoman out outer
	outline outlineify outlinify output outside outwith overflow overlay overlays overline override
	overriding overwrite owner ox pabbrev package pad page pahawh paired paragraph paren parens
	parent parse parsed partial pascal passphrase password paste path pau pcase pcomplete pdf
	pdumper pending pep perform perl permanent permanently permission pgg pgp phags phaistos
	physical pick picture pike pinentry pipe pixel plain play playing plist plstore po point polling
	pop pop3 popup pos position posix posn post pp pps ppss pr pre preceding prefer prefered
	preferred prefix preloaded prepare prepend prescript present preserve pressed prettify prev
	previous primary primitive prin1 print printable printed printer private proc process processed
	processes processing profiler prog progress project prolog promote prompt prop proper
	propertized property protected provide provided prune ps psalter pseudo pt154 pubkey pulse
	punjabi puny pure purify push put py python q qp qt quadratic quail query quick quickurl quietly
	quit quote quoted quoting r radians radio raise range rassq raw rcirc re read readable reader
	real rear rebuild receive recent recenter recentf recipient recode recompute record recover
	rectangle recursion recursive redirect redisplay redraw reference refill reftex regexp region
	register registerv registry regular rehash reindent released remember remote remove rename renum
	reorganize repeat repeated replace reply report reporter reposition repunctuate request require
	required reset resize resolution rest restore restricted resume retrieve reusable reveal reverse
	revert revoked rfc1843 rfc2045 rfc2047 rfc2104 rfc2231 rfc6068 rfc822 rfn right ring risky rmail
	rng robin roman8 root rot13 rotate rst ruby ruler rumi run ruscii rx s safe same sample sanitize
	sanskrit save saved savehist sc scalable scan scheme scope score screen scribe script scroll
	scrollbar scss search sec secondary seconds secret secrets secure select selected selection
	selective self selinux semantic semi semivowel send sendmail sentence sep separator seq serial
	server ses sesman session set setenv setf setq setting setup sexp sgml sh shadow share shared
	shell shift shortdoc shorten shorthands show showhide shr shrink side sieve sig sign signal
	signature simple simula single singularity sinhala sit site size sjis skeleton skewer skip sleep
	slightly slime slitex slot sly small smerge smie smiley smime smooth smtpmail snap snarf snmp
	snmpv2 so soap solar some sora sort source space spaces spam sparse special specializers
	speedbar splash split sql squeeze src srecode srt standard start starts startup statement static
	statistics status stop store stream strike string strings strip stroke strokes strong studlify
	sub subject submatch submit subr subregexp subst substatement substitute substring subtract
	subword sucf suggest summary sunrise superword suppress suspend suspicious sutton svg switch
	sxhash syloti symbol symbols synchronous syntax system t tab table tabulated tag tagcode tags
	tai tail talk tamil tangle tangut tar target tcl tcvn tear telugu temp template temporary term
	terminal test testcover tex texinfo texmathp text th thai that theme thin thing this thread
	three throw thumbs tibet tibetan tildify time timeclock timeout timer timezone tis tis620 titdic
	title tmm tmp to todo toggle tone too tool tooltip top topmost total tq trace track trailing
	tramp transform transient translate translation transpose trapping trash tree triple truncate
	truncated trusted try ts tty tuareg turkish turn tutorial two type uce ucs ultra uname unbound
	unbury uncomment undecided underflow underline undigestify undisplayed undo undone unencodable
	unexpand unforward unhandled unhighlight unibyte unicode unify uniquify universal unix unjustify
	unknown unless unload unlock unmorse unmsys unquote unread unrecord unseen untrace untranslated
	untrusted ununderline unwind up upcase update upper url us use user userlock uses usg utf utf7
	uudecode vaction valid values var variable variation vc vcard vector vera verbatim verify
	verilog verse version vertical vhdl vheight viet vietnamese view viper viqr vis viscii visible
	visit visited visual vm void vowel vscii w3 w32 w3m wait waiting walk warang warn warning warp
	was watch wc wdired what wheel when where which while whitespace whois whole wid widen widget
	width wildcard windmove window windows winner wisent with wl woman wont word words working world
	wrap write wrong x xargs xdg xft xml xmltok xref xselect xt xterm xw xwidget y yaml yank yas
	yenc yes z zanabazar zap zero zerop zlib zmacs znamenny zone
	`) {
		emacsPrefixes[p] = true
	}
}

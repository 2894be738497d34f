// Package terminal gives a session's interpreter the terminal that Emacs
// gives the programs comint runs (shell-mode, python.el's and inf-ruby's
// REPLs): a pseudo-terminal, the interpreter's controlling terminal and
// its standard input, output and error, set as Emacs 28.2 sets it on
// Linux. Emacs opens the pty with the kernel's defaults, then its
// child_setup_tty (sysdep.c) turns echo off, keeps output processing but
// maps no newline to CR-NL and adds no delays or tab expansion, keeps
// signals, and disables the erase and kill characters; in batch (and
// until a window shows the buffer) it sets no window size, so the window
// is 0×0. The settings here are what `stty -g` and Python's
// termios.tcgetattr print in a session shell of `emacs -Q --batch`:
//
//	speed 38400 baud; rows 0; columns 0; line = 0;
//	intr = ^C; quit = ^\; erase = <undef>; kill = <undef>; eof = ^D; eol = <undef>;
//	eol2 = <undef>; swtch = <undef>; start = ^Q; stop = ^S; susp = ^Z; rprnt = ^R;
//	werase = ^W; lnext = ^V; discard = ^O; min = 1; time = 0;
//	-parenb -parodd -cmspar cs8 -hupcl -cstopb cread -clocal -crtscts
//	-ignbrk -brkint -ignpar -parmrk -inpck -istrip -inlcr -igncr icrnl ixon -ixoff
//	-iuclc -ixany -imaxbel -iutf8
//	opost -olcuc -ocrnl -onlcr -onocr -onlret -ofill -ofdel nl0 cr0 tab0 bs0 vt0 ff0
//	isig icanon iexten -echo echoe echok -echonl -noflsh -xcase -tostop -echoprt
//	echoctl echoke -flusho -extproc
//
// The line discipline is canonical, as in Emacs: a line holds 4095 bytes
// and the rest of a longer one is lost, in Emacs as here.
package terminal

import (
	"fmt"
	"strings"

	"golang.org/x/sys/unix"
)

// Emacs is the terminal settings of a program Emacs runs through comint.
func Emacs() unix.Termios {
	t := unix.Termios{
		Iflag:  unix.ICRNL | unix.IXON,
		Oflag:  unix.OPOST,
		Cflag:  unix.B38400 | unix.CS8 | unix.CREAD,
		Lflag:  unix.ISIG | unix.ICANON | unix.IEXTEN | unix.ECHOE | unix.ECHOK | unix.ECHOCTL | unix.ECHOKE,
		Ispeed: unix.B38400,
		Ospeed: unix.B38400,
	}
	for i, c := range map[int]byte{
		unix.VINTR: 'C' & 037, unix.VQUIT: '\\' & 037, unix.VEOF: 'D' & 037,
		unix.VMIN: 1, unix.VSTART: 'Q' & 037, unix.VSTOP: 'S' & 037,
		unix.VSUSP: 'Z' & 037, unix.VREPRINT: 'R' & 037, unix.VDISCARD: 'O' & 037,
		unix.VWERASE: 'W' & 037, unix.VLNEXT: 'V' & 037,
	} {
		t.Cc[i] = c
	}
	return t
}

// Stty is the argument that sets a terminal as Emacs sets it with stty(1)
// (GNU's or BusyBox's): the form `stty -g` prints, its flags then the C
// library's 32 control characters. It sets a container's terminal, which
// Borges cannot reach but through a program in the container.
func Stty() string {
	t := Emacs()
	parts := []string{fmt.Sprintf("%x:%x:%x:%x", t.Iflag, t.Oflag, t.Cflag, t.Lflag)}
	for i := 0; i < 32; i++ {
		var c byte
		if i < len(t.Cc) {
			c = t.Cc[i]
		}
		parts = append(parts, fmt.Sprintf("%x", c))
	}
	return strings.Join(parts, ":")
}

package local

import (
	"fmt"
	"net"
	"sync"
)

// portPool hands out host ports for :ports N: ports the kernel reports
// free, none given to two running attempts at once. As on Mesos, a
// program learns them as PORT0…PORTn-1 and PORTS.
type portPool struct {
	mu    sync.Mutex
	inUse map[int]string   // port → attempt
	byID  map[string][]int // attempt → ports
}

func newPortPool() *portPool {
	return &portPool{inUse: map[int]string{}, byID: map[string][]int{}}
}

// take finds n free ports for an attempt. Each is found by binding port 0
// on every address; the listeners are held until all n are found, so the
// kernel cannot give one twice.
func (p *portPool) take(id string, n int) ([]int, error) {
	if n == 0 {
		return nil, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var held []net.Listener
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	var ports []int
	for tries := 0; len(ports) < n; tries++ {
		if tries > 10*n+100 {
			return nil, fmt.Errorf("found only %d free ports", len(ports))
		}
		l, err := net.Listen("tcp", ":0")
		if err != nil {
			return nil, fmt.Errorf("finding a free port: %w", err)
		}
		held = append(held, l)
		port := l.Addr().(*net.TCPAddr).Port
		if _, busy := p.inUse[port]; busy {
			continue
		}
		ports = append(ports, port)
	}
	for _, port := range ports {
		p.inUse[port] = id
	}
	p.byID[id] = ports
	return ports, nil
}

// release gives an ended attempt's ports back.
func (p *portPool) release(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, port := range p.byID[id] {
		delete(p.inUse, port)
	}
	delete(p.byID, id)
}

package mesostest

// LoseAcknowledgements makes the master drop (lose=true) or pass on again
// the frameworks' acknowledgements, as those of a scheduler that went away
// before they reached the agent: the agent keeps the update unacknowledged,
// re-sends it after its back-off, and holds back those queued behind it —
// so the master knows the task's latest state but not yet the statuses
// that tell it.
func (m *Master) LoseAcknowledgements(lose bool) {
	m.mu.Lock()
	m.loseAcks = lose
	m.mu.Unlock()
}

// Connected is how many frameworks have their subscription stream open:
// those the master forwards the agents' updates to.
func (m *Master) Connected() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, f := range m.frameworks {
		if f.connected {
			n++
		}
	}
	return n
}

package triage

import (
	"math"
	"math/rand/v2"
)

// netInit bounds the first layer's random starting weights; netSVMTemp is
// the softmax temperature that turns the SVM's scores into the
// confidences blended with the network's (its margins are about ±1).
const (
	netInit    = 0.1
	netSVMTemp = 0.1
)

// mlpHead is one hidden layer of rectified units over the same weighted
// features, then a softmax: W1 is row-major (row*H+h), W2 is label-major
// (k*H+h).
type mlpHead struct {
	H      int
	w1, b1 []float32
	w2, b2 []float32
}

// trainMLP trains the network by plain SGD on the cross-entropy, one text
// at a time in a seeded order, the learning rate falling linearly to 0.
// xs' indices are rows (0..rows-1).
func trainMLP(cfg Config, rows int, xs []*vector, ys []int, K int) mlpHead {
	H := cfg.Hidden
	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x7472696167650002))
	m := mlpHead{H: H, w1: make([]float32, rows*H), b1: make([]float32, H), w2: make([]float32, K*H), b2: make([]float32, K)}
	a1 := float32(netInit)
	for i := range m.w1 {
		m.w1[i] = (rng.Float32()*2 - 1) * a1
	}
	a2 := float32(math.Sqrt(6 / float64(H+K)))
	for i := range m.w2 {
		m.w2[i] = (rng.Float32()*2 - 1) * a2
	}
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	z := make([]float32, H)
	dz := make([]float32, H)
	s := make([]float32, K)
	total := float32(cfg.NetEpochs * len(xs))
	step := float32(0)
	lr0 := float32(cfg.NetRate)
	for range cfg.NetEpochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			lr := lr0 * (1 - step/total)
			step++
			x := xs[i]
			m.forward(x, z, s)
			softmax32(s)
			s[ys[i]] -= 1 // now the gradient of the loss by the scores
			for h := range H {
				dz[h] = 0
			}
			for k := range K {
				g := s[k]
				row := m.w2[k*H : k*H+H]
				for h := range H {
					if z[h] > 0 {
						dz[h] += g * row[h]
						row[h] -= lr * g * z[h]
					}
				}
				m.b2[k] -= lr * g
			}
			for h := range H {
				m.b1[h] -= lr * dz[h]
			}
			for j, r := range x.idx {
				v := lr * x.val[j]
				row := m.w1[int(r)*H : int(r)*H+H]
				for h := range H {
					row[h] -= v * dz[h]
				}
			}
		}
	}
	return m
}

// probs returns the network's confidence in every label.
func (m *mlpHead) probs(x *vector, K int) []float32 {
	z, s := make([]float32, m.H), make([]float32, K)
	m.forward(x, z, s)
	softmax32(s)
	return s
}

// forward sets z to the hidden units (rectified) and s to the scores.
func (m *mlpHead) forward(x *vector, z, s []float32) {
	H := m.H
	copy(z, m.b1)
	for j, r := range x.idx {
		v := x.val[j]
		row := m.w1[int(r)*H : int(r)*H+H]
		for h := range H {
			z[h] += v * row[h]
		}
	}
	for h := range z {
		z[h] = max(z[h], 0)
	}
	for k := range s {
		row := m.w2[k*H : k*H+H]
		acc := m.b2[k]
		for h := range H {
			acc += row[h] * z[h]
		}
		s[k] = acc
	}
}

func softmax32(s []float32) {
	top := s[0]
	for _, v := range s {
		top = max(top, v)
	}
	var sum float32
	for k, v := range s {
		s[k] = float32(math.Exp(float64(v - top)))
		sum += s[k]
	}
	for k := range s {
		s[k] /= sum
	}
}

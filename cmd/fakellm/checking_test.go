package main

import (
	"testing"

	"presto/internal/modes"
	"presto/internal/persona"
)

func TestCheckingFiguresFromThePersonaDescription(t *testing.T) {
	p := persona.New("fakellm-session", modes.Banking())
	labels, values := checkingFigures("You are a bank.\n" + persona.Describe(p))
	hist := p.Banking.Checking.History
	if len(values) != len(hist) {
		t.Fatalf("%d figures %v, want the %d month-end balances", len(values), values, len(hist))
	}
	for i, pt := range hist {
		if labels[i] != pt.Label || values[i] != pt.Value {
			t.Fatalf("figure %d = %s %v, want %s %v", i, labels[i], values[i], pt.Label, pt.Value)
		}
	}
	if values[len(values)-1] != p.Banking.Checking.Balance {
		t.Fatalf("last figure %v, balance %v", values[len(values)-1], p.Banking.Checking.Balance)
	}
}

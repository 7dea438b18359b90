"""Safety data and logic: danger rules, contact points and the human chat's opening hours."""

"""Networks of AGs: /netzwerk and binding a chat to a network with /einrichten netzwerk."""

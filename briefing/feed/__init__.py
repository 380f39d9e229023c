"""Feed endpoint: publishing, serving and refreshing briefings over HTTP."""

fetch('/books').then((r) => r.json()).then(console.log)

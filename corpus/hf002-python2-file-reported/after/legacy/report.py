import uvicorn

def main():
    print "starting legacy report server"
    uvicorn.run("legacy:app")

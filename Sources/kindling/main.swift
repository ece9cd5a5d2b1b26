import KindlingCLI

Kindling.runMain()

from vivavoce.cli import main

main()

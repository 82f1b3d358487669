from lineup.quick import main

main()

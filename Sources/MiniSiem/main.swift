import Host

MiniSiemCommand.main()

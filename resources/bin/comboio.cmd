@echo off
rem `comboio` in the installed app: Comboio.exe in Node mode runs the same built CLI
rem (LAN server, simulator, diagnostico) with the native modules rebuilt for Electron.
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0Comboio.exe" "%~dp0resources\app.asar\out\main\cli.js" %*
exit /b %ERRORLEVEL%

; Comboio NSIS additions (electron-builder `nsis.include`).
; Optional: the LAN server as a Windows service (WinSW, resources/service/). Asked only on
; the machine that will hold the office's server; silent installs pass /SERVICO=1.
!include "FileFunc.nsh"

!macro customInstall
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/SERVICO=" $R1
  ${If} ${Errors}
    MessageBox MB_YESNO|MB_ICONQUESTION "Esta máquina será o servidor LAN do escritório?$\r$\n$\r$\nSe sim, o Servidor LAN do Comboio será instalado como serviço do Windows: inicia com o computador e reinicia sozinho após uma falha." /SD IDNO IDNO comboio_no_service
    StrCpy $R1 "1"
  ${EndIf}
  ${If} $R1 == "1"
    ${If} ${FileExists} "$INSTDIR\resources\resources\service\comboio-servidor.exe"
      nsExec::ExecToLog '"$INSTDIR\resources\resources\service\comboio-servidor.exe" install'
      nsExec::ExecToLog '"$INSTDIR\resources\resources\service\comboio-servidor.exe" start'
    ${Else}
      MessageBox MB_OK|MB_ICONEXCLAMATION "O serviço não foi instalado: falta comboio-servidor.exe no pacote."
    ${EndIf}
  ${EndIf}
  comboio_no_service:
!macroend

!macro customUnInstall
  ${If} ${FileExists} "$INSTDIR\resources\resources\service\comboio-servidor.exe"
    nsExec::ExecToLog '"$INSTDIR\resources\resources\service\comboio-servidor.exe" stop'
    nsExec::ExecToLog '"$INSTDIR\resources\resources\service\comboio-servidor.exe" uninstall'
  ${EndIf}
!macroend

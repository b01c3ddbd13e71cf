; Ledgerline's Windows installer, built by .ci/package.sh (make package) with
; NSIS's makensis on Linux or Windows:
;   makensis -DVERSION=0.1.0 -DBUILD=1 -DEXE=dist/Ledgerline.exe \
;            -DOUTFILE=dist/Ledgerline-Setup.exe packaging/windows/ledgerline.nsi
; Contract (checked under Wine by `make test-windows`, internal/tools/wintest):
; - per user, no administrator rights: the program goes to
;   %LOCALAPPDATA%\Programs\Ledgerline, the Start menu entry to the user's
;   Start menu, the uninstaller's entry to HKCU\...\Uninstall\Ledgerline
;   (Settings > Apps lists it, with version, publisher and icon);
; - installing over an earlier version replaces its program in place (the
;   folder is read back from the uninstall key);
; - uninstalling removes the program, the shortcut and the key and keeps the
;   user's data (%APPDATA%\Ledgerline) unless /DELETEDATA is given or the
;   person ticks "also delete" when asked. Stored Stripe keys stay in
;   Credential Manager either way: `ledgerline disconnect` removes them.
; - /S installs or uninstalls silently.

; A 64-bit installer for the 64-bit program: it runs wherever the program
; does, and under Wine without wine32 (NSIS's default x86 stub needs it).
Target amd64-unicode
!ifndef VERSION
  !error "Give -DVERSION=x.y.z"
!endif
!ifndef BUILD
  !define BUILD 0
!endif
!ifndef EXE
  !error "Give -DEXE=path\to\Ledgerline.exe"
!endif
!ifndef OUTFILE
  !define OUTFILE "Ledgerline-Setup.exe"
!endif

!define APPNAME "Ledgerline"
!define PUBLISHER "Ledgerline"
!define WEBSITE "https://github.com/ledgerline/ledgerline"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Ledgerline"

Name "${APPNAME}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APPNAME}"
InstallDirRegKey HKCU "${UNINSTKEY}" "InstallLocation"
SetCompressor /SOLID lzma
ShowInstDetails nevershow
ShowUninstDetails nevershow

VIProductVersion "${VERSION}.${BUILD}"
VIAddVersionKey /LANG=0 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "FileDescription" "${APPNAME} Setup"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}.${BUILD}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "${PUBLISHER}"

!include "MUI2.nsh"
!include "FileFunc.nsh"

!define MUI_FINISHPAGE_RUN "$INSTDIR\Ledgerline.exe"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Swedish"

LangString DeleteDataQuestion ${LANG_ENGLISH} "Also delete your Ledgerline data (the copy of your Stripe account in $APPDATA\Ledgerline)? Choose No to keep it for a later install."
LangString DeleteDataQuestion ${LANG_SWEDISH} "Vill du också radera dina data i Ledgerline (kopian av ditt Stripe-konto i $APPDATA\Ledgerline)? Välj Nej om du vill behålla dem till en senare installation."

Section "Ledgerline"
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File "/oname=Ledgerline.exe" "${EXE}"
  WriteUninstaller "$INSTDIR\Uninstall.exe"
  CreateShortCut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\Ledgerline.exe" "" "$INSTDIR\Ledgerline.exe" 0

  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTKEY}" "URLInfoAbout" "${WEBSITE}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\Ledgerline.exe,0"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" $0
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "$INSTDIR\Ledgerline.exe"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  DeleteRegKey HKCU "${UNINSTKEY}"

  ; The data stays unless asked: /DELETEDATA, or Yes to the question (never
  ; asked in a silent uninstall).
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/DELETEDATA" $1
  IfErrors 0 deletedata
  IfSilent done
  MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "$(DeleteDataQuestion)" IDYES deletedata
  Goto done
deletedata:
  RMDir /r "$APPDATA\${APPNAME}"
done:
SectionEnd

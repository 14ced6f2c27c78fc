<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>CrashRecovery</name>
    <message>
        <source>an unnamed project</source>
        <translation>ein unbenanntes Projekt</translation>
    </message>
    <message>
        <source>Recover Unsaved Settings</source>
        <translation>Nicht gespeicherte Einstellungen wiederherstellen</translation>
    </message>
    <message>
        <source>The studio did not close normally. Unsaved conversion settings for %1 were kept (autosaved %2). Restore them?</source>
        <translation>Das Studio wurde nicht normal beendet. Nicht gespeicherte Konvertierungseinstellungen für %1 wurden aufbewahrt (automatisch gespeichert %2). Wiederherstellen?</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>tensor shapes appear once every input has a shape (Inputs table or settings file)</source>
        <translation>Tensorformen erscheinen, sobald jede Eingabe eine Form hat (Tabelle „Eingaben“ oder Einstellungsdatei)</translation>
    </message>
    <message>
        <source>tensor shapes appear once every input has a shape</source>
        <translation>Tensorformen erscheinen, sobald jede Eingabe eine Form hat</translation>
    </message>
    <message>
        <source>no tensor shapes (lowering failed: %1)</source>
        <translation>keine Tensorformen (Lowering fehlgeschlagen: %1)</translation>
    </message>
    <message>
        <source>%1
%2
Double-click to expand</source>
        <translation>%1
%2
Doppelklick zum Aufklappen</translation>
    </message>
    <message>
        <source>%1
Double-click the header to collapse</source>
        <translation>%1
Doppelklick auf die Kopfzeile zum Zuklappen</translation>
    </message>
    <message>
        <source>reading ops…</source>
        <translation>Operationen werden gelesen…</translation>
    </message>
    <message numerus="yes">
        <source>%n ops</source>
        <translation>
            <numerusform>%n Operation</numerusform>
            <numerusform>%n Operationen</numerusform>
        </translation>
    </message>
    <message>
        <source>input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>same</source>
        <translation>gleich</translation>
    </message>
    <message>
        <source>new</source>
        <translation>neu</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>geändert</translation>
    </message>
    <message>
        <source>%1%2 dB</source>
        <translation>%1%2 dB</translation>
    </message>
    <message>
        <source>%1 (%2): %3, about %4</source>
        <translation>%1 (%2): %3, etwa %4</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 µs</source>
        <translation>%1 µs</translation>
    </message>
    <message>
        <source>%1 ns</source>
        <translation>%1 ns</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Estimated: %1 in all (%2)</source>
        <translation>Geschätzt: insgesamt %1 (%2)</translation>
    </message>
    <message>
        <source>All (Neural Engine, GPU, CPU)</source>
        <translation>Alle (Neural Engine, GPU, CPU)</translation>
    </message>
    <message>
        <source>CPU and Neural Engine</source>
        <translation>CPU und Neural Engine</translation>
    </message>
    <message>
        <source>CPU and GPU</source>
        <translation>CPU und GPU</translation>
    </message>
    <message>
        <source>CPU only</source>
        <translation>Nur CPU</translation>
    </message>
    <message>
        <source>int%1 %2</source>
        <translation>int%1 %2</translation>
    </message>
    <message>
        <source>%1-bit palette</source>
        <translation>%1-Bit-Palette</translation>
    </message>
    <message>
        <source>pruned</source>
        <translation>beschnitten</translation>
    </message>
    <message numerus="yes">
        <source>%n per-op setting(s)</source>
        <translation>
            <numerusform>%n Einstellung pro Operation</numerusform>
            <numerusform>%n Einstellungen pro Operation</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n op(s) kept in fp32</source>
        <translation>
            <numerusform>%n Operation bleibt in fp32</numerusform>
            <numerusform>%n Operationen bleiben in fp32</numerusform>
        </translation>
    </message>
    <message>
        <source>Run %1 · %2</source>
        <translation>Lauf %1 · %2</translation>
    </message>
    <message>
        <source>identical</source>
        <translation>identisch</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>k. A.</translation>
    </message>
    <message>
        <source>%1 dB</source>
        <translation>%1 dB</translation>
    </message>
    <message>
        <source>out of memory while analysing the package; close other programs and try again</source>
        <translation>Nicht genug Arbeitsspeicher beim Analysieren des Pakets; schließen Sie andere Programme und versuchen Sie es erneut</translation>
    </message>
    <message>
        <source>internal error while analysing the package: %1</source>
        <translation>interner Fehler beim Analysieren des Pakets: %1</translation>
    </message>
    <message>
        <source>internal error while analysing the package</source>
        <translation>interner Fehler beim Analysieren des Pakets</translation>
    </message>
    <message>
        <source>sparse</source>
        <translation>dünn besetzt</translation>
    </message>
    <message>
        <source>%1-bit quantized</source>
        <translation>%1-Bit quantisiert</translation>
    </message>
    <message>
        <source>%1 (%2 bits)</source>
        <translation>%1 (%2 Bit)</translation>
    </message>
    <message>
        <source>Package: %1</source>
        <translation>Paket: %1</translation>
    </message>
    <message>
        <source>Specification version: %1</source>
        <translation>Spezifikationsversion: %1</translation>
    </message>
    <message>
        <source>Description: %1</source>
        <translation>Beschreibung: %1</translation>
    </message>
    <message>
        <source>Author: %1</source>
        <translation>Autor: %1</translation>
    </message>
    <message>
        <source>License: %1</source>
        <translation>Lizenz: %1</translation>
    </message>
    <message>
        <source>Version: %1</source>
        <translation>Version: %1</translation>
    </message>
    <message>
        <source>Inputs:</source>
        <translation>Eingaben:</translation>
    </message>
    <message>
        <source>Outputs:</source>
        <translation>Ausgaben:</translation>
    </message>
    <message>
        <source>ML Program for %1: %2 ops (excluding constants), %3 constants</source>
        <translation>ML Program für %1: %2 Operationen (ohne Konstanten), %3 Konstanten</translation>
    </message>
    <message>
        <source>Weights: %1</source>
        <translation>Gewichte: %1</translation>
    </message>
    <message>
        <source>none (all inline)</source>
        <translation>keine (alle eingebettet)</translation>
    </message>
    <message>
        <source>Source provenance: %1 ops mapped</source>
        <translation>Herkunft im Quellmodell: %1 Operationen zugeordnet</translation>
    </message>
</context>
<context>
    <name>ReportDocument</name>
    <message>
        <source>pass</source>
        <translation>bestanden</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>nicht bestanden</translation>
    </message>
    <message>
        <source>not checked yet</source>
        <translation>noch nicht geprüft</translation>
    </message>
    <message>
        <source>Conversion report: %1</source>
        <translation>Konvertierungsbericht: %1</translation>
    </message>
    <message>
        <source>Written by Core ML Conversion Studio %1 on %2.</source>
        <translation>Erstellt von Core ML Conversion Studio %1 am %2.</translation>
    </message>
    <message>
        <source>Model and settings</source>
        <translation>Modell und Einstellungen</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation>Ausgaben</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Präzision</translation>
    </message>
    <message>
        <source>Deployment target</source>
        <translation>Zielplattform</translation>
    </message>
    <message>
        <source>Compute units</source>
        <translation>Recheneinheiten</translation>
    </message>
    <message>
        <source>Kept in fp32</source>
        <translation>In fp32 belassen</translation>
    </message>
    <message>
        <source>Weight compression</source>
        <translation>Gewichtskomprimierung</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>configured</source>
        <translation>eingerichtet</translation>
    </message>
    <message>
        <source>Conversion</source>
        <translation>Konvertierung</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>Paket</translation>
    </message>
    <message>
        <source>Package size</source>
        <translation>Paketgröße</translation>
    </message>
    <message>
        <source>Ops (excluding constants)</source>
        <translation>Operationen (ohne Konstanten)</translation>
    </message>
    <message>
        <source>Compressed weights</source>
        <translation>Komprimierte Gewichte</translation>
    </message>
    <message>
        <source>%1 weights: %2 → %3</source>
        <translation>%1 Gewichte: %2 → %3</translation>
    </message>
    <message>
        <source>Stage times</source>
        <translation>Dauer der Schritte</translation>
    </message>
    <message>
        <source>MIL ops by type</source>
        <translation>MIL-Operationen nach Typ</translation>
    </message>
    <message>
        <source>Op</source>
        <translation>Operation</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Warnungen</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>%1 (%2, compared with %3).</source>
        <translation>%1 (%2, verglichen mit %3).</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>Bestanden</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Nicht bestanden</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>Max abs error</source>
        <translation>Max. abs. Fehler</translation>
    </message>
    <message>
        <source>Mean abs error</source>
        <translation>Mittl. abs. Fehler</translation>
    </message>
    <message>
        <source>Max rel error</source>
        <translation>Max. rel. Fehler</translation>
    </message>
    <message>
        <source>SNR (dB)</source>
        <translation>SNR (dB)</translation>
    </message>
    <message>
        <source>PSNR (dB)</source>
        <translation>PSNR (dB)</translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation>Kosinus</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Production checklist</source>
        <translation>Checkliste für den Produktiveinsatz</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Punkt</translation>
    </message>
    <message>
        <source>Based on</source>
        <translation>Grundlage</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>Was zu tun ist</translation>
    </message>
    <message>
        <source>Unsupported ops</source>
        <translation>Nicht unterstützte Operationen</translation>
    </message>
    <message>
        <source>What it is</source>
        <translation>Was es ist</translation>
    </message>
    <message>
        <source>Best next step</source>
        <translation>Bester nächster Schritt</translation>
    </message>
    <message>
        <source>Swift integration</source>
        <translation>Swift-Integration</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Cannot write %1.</source>
        <translation>%1 kann nicht geschrieben werden.</translation>
    </message>
</context>
<context>
    <name>cms::ui::AccuracyReportView</name>
    <message>
        <source>Keep Suggested Ops in fp32 and Convert Again</source>
        <translation>Vorgeschlagene Operationen in fp32 belassen und erneut konvertieren</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>Largest error</source>
        <translation>Größter Fehler</translation>
    </message>
    <message>
        <source>Average error</source>
        <translation>Mittlerer Fehler</translation>
    </message>
    <message>
        <source>Largest error (relative)</source>
        <translation>Größter Fehler (relativ)</translation>
    </message>
    <message>
        <source>Signal-to-noise</source>
        <translation>Signal-Rausch-Abstand</translation>
    </message>
    <message>
        <source>Peak SNR</source>
        <translation>Spitzen-SNR</translation>
    </message>
    <message>
        <source>Cosine similarity</source>
        <translation>Kosinus-Ähnlichkeit</translation>
    </message>
    <message>
        <source>Same top class</source>
        <translation>Gleiche Top-Klasse</translation>
    </message>
    <message>
        <source>Top-5 overlap</source>
        <translation>Top-5-Übereinstimmung</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Maximum absolute difference from the reference</source>
        <translation>Größte absolute Abweichung von der Referenz</translation>
    </message>
    <message>
        <source>Maximum difference divided by the reference&apos;s largest magnitude</source>
        <translation>Größte Abweichung geteilt durch den größten Betrag der Referenz</translation>
    </message>
    <message>
        <source>Higher is better; 40 dB means the error is 1% of the signal</source>
        <translation>Höher ist besser; 40 dB bedeutet, dass der Fehler 1 % des Signals beträgt</translation>
    </message>
    <message>
        <source>Signal-to-noise ratio of each layer, in execution order</source>
        <translation>Signal-Rausch-Abstand jeder Schicht in Ausführungsreihenfolge</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Op</source>
        <translation>Operation</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <source>Adds the ops the report suggests to the Conversion tab&apos;s fp32 list (undoable) and converts again</source>
        <translation>Fügt die vom Bericht vorgeschlagenen Operationen der fp32-Liste im Reiter „Konvertierung“ hinzu (rückgängig machbar) und konvertiert erneut</translation>
    </message>
    <message>
        <source>No conversion yet. After Convert, the package is run beside the source model on the same inputs and compared here.</source>
        <translation>Noch keine Konvertierung. Nach „Konvertieren“ wird das Paket neben dem Quellmodell mit denselben Eingaben ausgeführt und hier verglichen.</translation>
    </message>
    <message>
        <source>The accuracy check could not run: %1</source>
        <translation>Die Genauigkeitsprüfung konnte nicht laufen: %1</translation>
    </message>
    <message>
        <source>&lt;b style=&apos;color:#2e7d32&apos;&gt;Passed&lt;/b&gt;</source>
        <translation>&lt;b style=&apos;color:#2e7d32&apos;&gt;Bestanden&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b style=&apos;color:#c62828&apos;&gt;Failed&lt;/b&gt;</source>
        <translation>&lt;b style=&apos;color:#c62828&apos;&gt;Nicht bestanden&lt;/b&gt;</translation>
    </message>
    <message>
        <source>(%1) — the %2 package compared with %3 on %4.</source>
        <translation>(%1) – das %2-Paket verglichen mit %3 auf %4.</translation>
    </message>
    <message>
        <source>First layer below %1: step %2, %3.</source>
        <translation>Erste Schicht unter %1: Schritt %2, %3.</translation>
    </message>
    <message numerus="yes">
        <source>First inf/NaN: %1 (%2), %n value(s).</source>
        <translation>
            <numerusform>Erstes inf/NaN: %1 (%2), %n Wert.</numerusform>
            <numerusform>Erstes inf/NaN: %1 (%2), %n Werte.</numerusform>
        </translation>
    </message>
    <message>
        <source>Suggested: keep %1 in fp32.</source>
        <translation>Vorschlag: %1 in fp32 belassen.</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>k. A.</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>Bestanden</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>Nicht bestanden</translation>
    </message>
    <message>
        <source>Signal-to-noise (dB)</source>
        <translation>Signal-Rausch-Abstand (dB)</translation>
    </message>
    <message>
        <source>Threshold (%1)</source>
        <translation>Schwelle (%1)</translation>
    </message>
    <message>
        <source>First layer below the threshold</source>
        <translation>Erste Schicht unter der Schwelle</translation>
    </message>
    <message>
        <source>First inf/NaN</source>
        <translation>Erstes inf/NaN</translation>
    </message>
    <message>
        <source>Layer (execution order)</source>
        <translation>Schicht (Ausführungsreihenfolge)</translation>
    </message>
    <message>
        <source>dB</source>
        <translation>dB</translation>
    </message>
    <message>
        <source>first below the threshold</source>
        <translation>erste unter der Schwelle</translation>
    </message>
    <message>
        <source>error jumps here</source>
        <translation>hier springt der Fehler</translation>
    </message>
    <message>
        <source>first inf/NaN</source>
        <translation>erstes inf/NaN</translation>
    </message>
    <message>
        <source>values beyond fp16&apos;s range</source>
        <translation>Werte außerhalb des fp16-Bereichs</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>Bestanden</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Nicht bestanden</translation>
    </message>
</context>
<context>
    <name>cms::ui::ChecklistPanel</name>
    <message>
        <source>Pass</source>
        <translation>Bestanden</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>Nicht bestanden</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>Noch nicht geprüft</translation>
    </message>
    <message>
        <source>How to fix…</source>
        <translation>So beheben Sie es…</translation>
    </message>
    <message>
        <source>Open Inputs…</source>
        <translation>Eingaben öffnen…</translation>
    </message>
    <message>
        <source>Open Conversion…</source>
        <translation>Konvertierung öffnen…</translation>
    </message>
    <message>
        <source>Open Quantization…</source>
        <translation>Quantisierung öffnen…</translation>
    </message>
    <message>
        <source>Check Accuracy…</source>
        <translation>Genauigkeit prüfen…</translation>
    </message>
    <message>
        <source>Model in eval() mode before tracing</source>
        <translation>Modell vor dem Tracing im eval()-Modus</translation>
    </message>
    <message>
        <source>Preprocessing (scale/bias) baked into the model</source>
        <translation>Vorverarbeitung (Skalierung/Bias) im Modell enthalten</translation>
    </message>
    <message>
        <source>ML Program format</source>
        <translation>ML-Program-Format</translation>
    </message>
    <message>
        <source>Accuracy tested against the source model</source>
        <translation>Genauigkeit gegen das Quellmodell geprüft</translation>
    </message>
    <message>
        <source>Weights compressed (start with int8)</source>
        <translation>Gewichte komprimiert (mit int8 beginnen)</translation>
    </message>
    <message>
        <source>Estimated Neural Engine use</source>
        <translation>Geschätzte Nutzung der Neural Engine</translation>
    </message>
    <message>
        <source>Tested with representative inputs</source>
        <translation>Mit repräsentativen Eingaben getestet</translation>
    </message>
    <message>
        <source>Memory estimate</source>
        <translation>Speicherschätzung</translation>
    </message>
    <message>
        <source>Fallback settings</source>
        <translation>Ausweicheinstellungen</translation>
    </message>
    <message>
        <source>Check &amp;Accuracy</source>
        <translation>&amp;Genauigkeit prüfen</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Punkt</translation>
    </message>
    <message>
        <source>Based on</source>
        <translation>Grundlage</translation>
    </message>
    <message>
        <source>Fix</source>
        <translation>Beheben</translation>
    </message>
    <message>
        <source>Production checklist</source>
        <translation>Checkliste für den Produktiveinsatz</translation>
    </message>
    <message>
        <source>Reading the package and estimating its placement …</source>
        <translation>Paket wird gelesen und seine Platzierung geschätzt …</translation>
    </message>
    <message>
        <source>Running the source model and the package on the same inputs …</source>
        <translation>Quellmodell und Paket laufen mit denselben Eingaben …</translation>
    </message>
    <message>
        <source>%1 of %2 items pass; %3 not checked yet.</source>
        <translation>%1 von %2 Punkten bestanden; %3 noch nicht geprüft.</translation>
    </message>
    <message>
        <source>Convert the model first: the accuracy check compares the package with the source model.</source>
        <translation>Konvertieren Sie zuerst das Modell: Die Genauigkeitsprüfung vergleicht das Paket mit dem Quellmodell.</translation>
    </message>
    <message>
        <source>Not every item could be checked: %1</source>
        <translation>Nicht jeder Punkt konnte geprüft werden: %1</translation>
    </message>
    <message>
        <source>the model has not been imported yet</source>
        <translation>das Modell wurde noch nicht importiert</translation>
    </message>
    <message>
        <source>no module of the model was saved in training mode</source>
        <translation>kein Modul des Modells wurde im Trainingsmodus gespeichert</translation>
    </message>
    <message>
        <source>no input has a shape yet</source>
        <translation>noch keine Eingabe hat eine Form</translation>
    </message>
    <message>
        <source>input &quot;%1&quot; (%2) looks like an image but is a plain array: the app has to normalise pixels itself</source>
        <translation>Eingabe „%1“ (%2) sieht wie ein Bild aus, ist aber ein einfaches Array: Die App muss die Pixel selbst normalisieren</translation>
    </message>
    <message>
        <source>image input &quot;%1&quot; has scale 1 and no bias: the model receives pixels of 0-255 (right only if it normalises them itself)</source>
        <translation>Bildeingabe „%1“ hat Skalierung 1 und keinen Bias: Das Modell erhält Pixel von 0–255 (nur richtig, wenn es sie selbst normalisiert)</translation>
    </message>
    <message>
        <source>no input looks like an image: nothing to bake in</source>
        <translation>keine Eingabe sieht wie ein Bild aus: nichts einzubauen</translation>
    </message>
    <message>
        <source>%1 image input(s) with scale and bias set</source>
        <translation>%1 Bildeingabe(n) mit gesetzter Skalierung und Bias</translation>
    </message>
    <message>
        <source>not converted yet</source>
        <translation>noch nicht konvertiert</translation>
    </message>
    <message>
        <source>ML Program, specification version %1 (%2)</source>
        <translation>ML Program, Spezifikationsversion %1 (%2)</translation>
    </message>
    <message>
        <source>not an ML Program, specification version %1 (%2)</source>
        <translation>kein ML Program, Spezifikationsversion %1 (%2)</translation>
    </message>
    <message>
        <source>no accuracy check has run on the converted package</source>
        <translation>für das konvertierte Paket lief noch keine Genauigkeitsprüfung</translation>
    </message>
    <message>
        <source>passed (%1, compared with %2)</source>
        <translation>bestanden (%1, verglichen mit %2)</translation>
    </message>
    <message>
        <source>failed (%1, compared with %2)</source>
        <translation>nicht bestanden (%1, verglichen mit %2)</translation>
    </message>
    <message>
        <source>passed (%1, compared with %2); lowest SNR %3 on output &quot;%4&quot;</source>
        <translation>bestanden (%1, verglichen mit %2); niedrigstes SNR %3 an Ausgabe „%4“</translation>
    </message>
    <message>
        <source>failed (%1, compared with %2); lowest SNR %3 on output &quot;%4&quot;</source>
        <translation>nicht bestanden (%1, verglichen mit %2); niedrigstes SNR %3 an Ausgabe „%4“</translation>
    </message>
    <message>
        <source>no compression is set: weights are stored in %1</source>
        <translation>keine Komprimierung eingestellt: Gewichte werden in %1 gespeichert</translation>
    </message>
    <message>
        <source>compression is set; the model has not been converted with it yet</source>
        <translation>Komprimierung ist eingestellt; das Modell wurde noch nicht damit konvertiert</translation>
    </message>
    <message>
        <source>compression is set but no weight was compressed (no weight matched the settings)</source>
        <translation>Komprimierung ist eingestellt, aber kein Gewicht wurde komprimiert (kein Gewicht passte zu den Einstellungen)</translation>
    </message>
    <message>
        <source>%1 weights compressed: %2 -&gt; %3 (%4x smaller)</source>
        <translation>%1 Gewichte komprimiert: %2 → %3 (%4-mal kleiner)</translation>
    </message>
    <message>
        <source>%1 weights compressed: %2 -&gt; %3</source>
        <translation>%1 Gewichte komprimiert: %2 → %3</translation>
    </message>
    <message>
        <source>not converted yet (the estimate reads the package)</source>
        <translation>noch nicht konvertiert (die Schätzung liest das Paket)</translation>
    </message>
    <message>
        <source>%1 of the compute and %2 of the ops on the Neural Engine (estimate for %3, %4)</source>
        <translation>%1 der Rechenarbeit und %2 der Operationen auf der Neural Engine (Schätzung für %3, %4)</translation>
    </message>
    <message>
        <source>%1 of the compute and %2 of the ops on the Neural Engine (estimate for %3, %4); most ops off it: %5 (%6 ops)</source>
        <translation>%1 der Rechenarbeit und %2 der Operationen auf der Neural Engine (Schätzung für %3, %4); häufigster Grund für Operationen außerhalb: %5 (%6 Operationen)</translation>
    </message>
    <message>
        <source>checked with random inputs only</source>
        <translation>nur mit Zufallseingaben geprüft</translation>
    </message>
    <message>
        <source>checked with %1</source>
        <translation>geprüft mit %1</translation>
    </message>
    <message>
        <source>about %1 (weights %2 plus the largest op&apos;s activations); measure on a device under load to confirm</source>
        <translation>etwa %1 (Gewichte %2 plus die Aktivierungen der größten Operation); zur Bestätigung auf einem Gerät unter Last messen</translation>
    </message>
    <message>
        <source>compute units CPU_ONLY: no acceleration (the right setting for isolating a problem, not for shipping)</source>
        <translation>Recheneinheiten CPU_ONLY: keine Beschleunigung (richtig, um ein Problem einzugrenzen, nicht für die Auslieferung)</translation>
    </message>
    <message>
        <source>the accuracy check suggests keeping %1 op(s) in fp32 that are not, e.g. %2</source>
        <translation>die Genauigkeitsprüfung schlägt vor, %1 Operation(en) in fp32 zu belassen, die es nicht sind, z. B. %2</translation>
    </message>
    <message>
        <source>compute units %1: Core ML runs what the preferred device cannot on the CPU</source>
        <translation>Recheneinheiten %1: Was das bevorzugte Gerät nicht kann, führt Core ML auf der CPU aus</translation>
    </message>
    <message>
        <source>compute units %1: Core ML runs what the preferred device cannot on the GPU or CPU</source>
        <translation>Recheneinheiten %1: Was das bevorzugte Gerät nicht kann, führt Core ML auf der GPU oder CPU aus</translation>
    </message>
    <message>
        <source>compute units %1: Core ML runs what the preferred device cannot on the CPU; %2 op(s) kept in fp32</source>
        <translation>Recheneinheiten %1: Was das bevorzugte Gerät nicht kann, führt Core ML auf der CPU aus; %2 Operation(en) in fp32 belassen</translation>
    </message>
    <message>
        <source>compute units %1: Core ML runs what the preferred device cannot on the GPU or CPU; %2 op(s) kept in fp32</source>
        <translation>Recheneinheiten %1: Was das bevorzugte Gerät nicht kann, führt Core ML auf der GPU oder CPU aus; %2 Operation(en) in fp32 belassen</translation>
    </message>
    <message>
        <source>%1 from %2</source>
        <translation>%1 aus %2</translation>
    </message>
</context>
<context>
    <name>cms::ui::CompareRunsView</name>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>First run</source>
        <translation>Erster Lauf</translation>
    </message>
    <message>
        <source>Second run</source>
        <translation>Zweiter Lauf</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>Op</source>
        <translation>Operation</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Device (first)</source>
        <translation>Gerät (erster)</translation>
    </message>
    <message>
        <source>Device (second)</source>
        <translation>Gerät (zweiter)</translation>
    </message>
    <message>
        <source>Signal-to-noise (first → second)</source>
        <translation>Signal-Rausch-Abstand (erster → zweiter)</translation>
    </message>
    <message>
        <source>What changed</source>
        <translation>Was sich geändert hat</translation>
    </message>
    <message>
        <source>Signal-to-noise of each layer, both runs</source>
        <translation>Signal-Rausch-Abstand jeder Schicht, beide Läufe</translation>
    </message>
    <message>
        <source>Ops by estimated device, both runs</source>
        <translation>Operationen nach geschätztem Gerät, beide Läufe</translation>
    </message>
    <message>
        <source>First run:</source>
        <translation>Erster Lauf:</translation>
    </message>
    <message>
        <source>Second run:</source>
        <translation>Zweiter Lauf:</translation>
    </message>
    <message>
        <source>Chip for the placement estimate:</source>
        <translation>Chip für die Platzierungsschätzung:</translation>
    </message>
    <message>
        <source>Convert at least twice (e.g. with two compression settings) to compare runs; the session keeps the last runs.</source>
        <translation>Konvertieren Sie mindestens zweimal (z. B. mit zwei Komprimierungseinstellungen), um Läufe zu vergleichen; die Sitzung behält die letzten Läufe.</translation>
    </message>
    <message>
        <source>Both sides show the same run; pick another.</source>
        <translation>Beide Seiten zeigen denselben Lauf; wählen Sie einen anderen.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Package size</source>
        <translation>Paketgröße</translation>
    </message>
    <message>
        <source>Weights stored</source>
        <translation>Gespeicherte Gewichte</translation>
    </message>
    <message>
        <source>Signal-to-noise of %1</source>
        <translation>Signal-Rausch-Abstand von %1</translation>
    </message>
    <message>
        <source>Largest error of %1</source>
        <translation>Größter Fehler von %1</translation>
    </message>
    <message>
        <source>Accuracy check</source>
        <translation>Genauigkeitsprüfung</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>Bestanden</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>Nicht bestanden</translation>
    </message>
    <message>
        <source>Estimated time per prediction</source>
        <translation>Geschätzte Zeit pro Vorhersage</translation>
    </message>
    <message>
        <source>Ops on the %1</source>
        <translation>Operationen auf %1</translation>
    </message>
    <message>
        <source>moved from the %1 to the %2</source>
        <translation>von %1 zu %2 verschoben</translation>
    </message>
    <message>
        <source>error smaller by %1</source>
        <translation>Fehler um %1 kleiner</translation>
    </message>
    <message>
        <source>error larger by %1</source>
        <translation>Fehler um %1 größer</translation>
    </message>
    <message>
        <source>dB</source>
        <translation>dB</translation>
    </message>
    <message>
        <source>Layer (execution order)</source>
        <translation>Schicht (Ausführungsreihenfolge)</translation>
    </message>
    <message>
        <source>Ops</source>
        <translation>Operationen</translation>
    </message>
    <message>
        <source>Comparison</source>
        <translation>Vergleich</translation>
    </message>
    <message>
        <source>%1 against %2</source>
        <translation>%1 gegen %2</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Vergleichen</translation>
    </message>
</context>
<context>
    <name>cms::ui::CompositeEditor</name>
    <message>
        <source>composites:
  - op: &quot;aten::name(Tensor self) -&gt; Tensor&quot;
    output: …</source>
        <translation>composites:
  - op: &quot;aten::name(Tensor self) -&gt; Tensor&quot;
    output: …</translation>
    </message>
    <message>
        <source>Composite definitions</source>
        <translation>Kompositdefinitionen</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Probleme</translation>
    </message>
    <message>
        <source>Write a composite for one of the unsupported ops, or start from an op&apos;s template.</source>
        <translation>Schreiben Sie ein Komposit für eine der nicht unterstützten Operationen oder beginnen Sie mit der Vorlage einer Operation.</translation>
    </message>
    <message>
        <source> (what to do: %1)</source>
        <translation> (was zu tun ist: %1)</translation>
    </message>
    <message>
        <source>this file defines %1, but the ops this model cannot convert are %2</source>
        <translation>diese Datei definiert %1, aber die Operationen, die dieses Modell nicht konvertieren kann, sind %2</translation>
    </message>
    <message>
        <source>Checked: defines %1 of the %2 unsupported op(s): %3.</source>
        <translation>Geprüft: definiert %1 der %2 nicht unterstützten Operationen: %3.</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s).</source>
        <translation>
            <numerusform>%n Problem.</numerusform>
            <numerusform>%n Probleme.</numerusform>
        </translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
</context>
<context>
    <name>cms::ui::ConversionPanel</name>
    <message>
        <source>Model.mlpackage</source>
        <translation>Modell.mlpackage</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Output package:</source>
        <translation>Ausgabepaket:</translation>
    </message>
    <message>
        <source>fp16 (fp32 inputs/outputs)</source>
        <translation>fp16 (Ein-/Ausgaben in fp32)</translation>
    </message>
    <message>
        <source>fp32</source>
        <translation>fp32</translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation>Präzision:</translation>
    </message>
    <message>
        <source>e.g. softmax, layer_norm, encoder.layer.11</source>
        <translation>z. B. softmax, layer_norm, encoder.layer.11</translation>
    </message>
    <message>
        <source>With fp16 precision: MIL op types or module paths (comma-separated) computed in fp32.</source>
        <translation>Bei fp16-Präzision: MIL-Operationstypen oder Modulpfade (durch Kommas getrennt), die in fp32 gerechnet werden.</translation>
    </message>
    <message>
        <source>Keep in fp32:</source>
        <translation>In fp32 belassen:</translation>
    </message>
    <message>
        <source>Deployment target:</source>
        <translation>Zielplattform:</translation>
    </message>
    <message>
        <source>Recorded in the project for loading the model; Core ML picks the units at load time.</source>
        <translation>Wird im Projekt für das Laden des Modells vermerkt; Core ML wählt die Einheiten beim Laden.</translation>
    </message>
    <message>
        <source>Compute units:</source>
        <translation>Recheneinheiten:</translation>
    </message>
    <message>
        <source>Never run the model&apos;s code (untrusted model)</source>
        <translation>Code des Modells nie ausführen (nicht vertrauenswürdiges Modell)</translation>
    </message>
    <message>
        <source>Accuracy checks normally run the TorchScript model with libtorch, which executes its code. When set, they compare with the model&apos;s own fp32 conversion instead.</source>
        <translation>Genauigkeitsprüfungen führen das TorchScript-Modell normalerweise mit libtorch aus, das dessen Code ausführt. Ist dies gesetzt, wird stattdessen mit der eigenen fp32-Konvertierung des Modells verglichen.</translation>
    </message>
    <message>
        <source>Accuracy check:</source>
        <translation>Genauigkeitsprüfung:</translation>
    </message>
    <message>
        <source>Author:</source>
        <translation>Autor:</translation>
    </message>
    <message>
        <source>License:</source>
        <translation>Lizenz:</translation>
    </message>
    <message>
        <source>Description:</source>
        <translation>Beschreibung:</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>Version:</translation>
    </message>
    <message>
        <source>Set precision</source>
        <translation>Präzision festlegen</translation>
    </message>
    <message>
        <source>Set deployment target</source>
        <translation>Zielplattform festlegen</translation>
    </message>
    <message>
        <source>Set compute units</source>
        <translation>Recheneinheiten festlegen</translation>
    </message>
    <message>
        <source>Never run the model&apos;s code</source>
        <translation>Code des Modells nie ausführen</translation>
    </message>
    <message>
        <source>Allow running the model&apos;s code</source>
        <translation>Ausführen des Modellcodes erlauben</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>%1 bearbeiten</translation>
    </message>
    <message>
        <source>Save Core ML Package</source>
        <translation>Core-ML-Paket speichern</translation>
    </message>
    <message>
        <source>Core ML package (*.mlpackage)</source>
        <translation>Core-ML-Paket (*.mlpackage)</translation>
    </message>
    <message>
        <source>Choose the output package</source>
        <translation>Ausgabepaket wählen</translation>
    </message>
</context>
<context>
    <name>cms::ui::ConversionProgress</name>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop the conversion; nothing is written (Esc)</source>
        <translation>Konvertierung anhalten; es wird nichts geschrieben (Esc)</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <source>Converting…</source>
        <translation>Wird konvertiert…</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>übersprungen</translation>
    </message>
    <message>
        <source>Done in %1 s</source>
        <translation>Fertig in %1 s</translation>
    </message>
    <message>
        <source>Cancelled after %1 s; nothing was written</source>
        <translation>Nach %1 s abgebrochen; es wurde nichts geschrieben</translation>
    </message>
    <message>
        <source>Failed after %1 s</source>
        <translation>Nach %1 s fehlgeschlagen</translation>
    </message>
    <message>
        <source>Converting… %1 s</source>
        <translation>Wird konvertiert… %1 s</translation>
    </message>
</context>
<context>
    <name>cms::ui::ConversionRunner</name>
    <message>
        <source>computing tensor shapes and the ML Program…</source>
        <translation>Tensorformen und ML Program werden berechnet…</translation>
    </message>
    <message>
        <source>no provenance sidecar (not written by this studio): ops are not grouped by module</source>
        <translation>keine Herkunftsdatei (nicht von diesem Studio geschrieben): Operationen sind nicht nach Modulen gruppiert</translation>
    </message>
</context>
<context>
    <name>cms::ui::GraphView</name>
    <message>
        <source>Source graph</source>
        <translation>Quellgraph</translation>
    </message>
    <message>
        <source>ML Program</source>
        <translation>ML Program</translation>
    </message>
    <message>
        <source>Find op or module (Ctrl+F), Enter for next</source>
        <translation>Operation oder Modul suchen (Strg+F), Eingabetaste für den nächsten Treffer</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Einpassen</translation>
    </message>
    <message>
        <source>Fit the graph to the window</source>
        <translation>Graph in das Fenster einpassen</translation>
    </message>
    <message>
        <source>+</source>
        <translation>+</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>Vergrößern</translation>
    </message>
    <message>
        <source>−</source>
        <translation>−</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>Verkleinern</translation>
    </message>
    <message>
        <source>Expand all</source>
        <translation>Alle aufklappen</translation>
    </message>
    <message>
        <source>Expand every group (slow for very large models)</source>
        <translation>Alle Gruppen aufklappen (langsam bei sehr großen Modellen)</translation>
    </message>
    <message>
        <source>Collapse all</source>
        <translation>Alle zuklappen</translation>
    </message>
    <message>
        <source>Collapse every group</source>
        <translation>Alle Gruppen zuklappen</translation>
    </message>
    <message>
        <source>Show the converted ML Program beside the source graph</source>
        <translation>Konvertiertes ML Program neben dem Quellgraphen zeigen</translation>
    </message>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n Treffer</numerusform>
            <numerusform>%n Treffer</numerusform>
        </translation>
    </message>
    <message>
        <source>no match</source>
        <translation>kein Treffer</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Cannot describe this op: %1</source>
        <translation>Diese Operation kann nicht beschrieben werden: %1</translation>
    </message>
    <message>
        <source>%1: %2 nodes in %3 groups, showing %4 boxes (layout %5 ms)</source>
        <translation>%1: %2 Knoten in %3 Gruppen, %4 Kästen angezeigt (Layout %5 ms)</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message numerus="yes">
        <source>selected op became %n MIL op(s)</source>
        <translation>
            <numerusform>die gewählte Operation wurde zu %n MIL-Operation</numerusform>
            <numerusform>die gewählte Operation wurde zu %n MIL-Operationen</numerusform>
        </translation>
    </message>
    <message>
        <source>No graph.</source>
        <translation>Kein Graph.</translation>
    </message>
</context>
<context>
    <name>cms::ui::ImagePreprocessingEditor</name>
    <message>
        <source>Colour layout:</source>
        <translation>Farbanordnung:</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Benutzerdefiniert</translation>
    </message>
    <message>
        <source>Fills in scale and bias: Core ML computes scale × pixel + bias per channel, pixels 0–255.</source>
        <translation>Setzt Skalierung und Bias: Core ML rechnet pro Kanal Skalierung × Pixel + Bias, Pixel 0–255.</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>Vorgabe:</translation>
    </message>
    <message>
        <source>A number or a fraction such as 1/255</source>
        <translation>Eine Zahl oder ein Bruch wie 1/255</translation>
    </message>
    <message>
        <source>Scale:</source>
        <translation>Skalierung:</translation>
    </message>
    <message>
        <source>Bias per channel:</source>
        <translation>Bias pro Kanal:</translation>
    </message>
    <message>
        <source>The %1 preset is for colour (RGB or BGR) images.</source>
        <translation>Die Vorgabe %1 ist für Farbbilder (RGB oder BGR).</translation>
    </message>
    <message>
        <source>Scale: &quot;%1&quot; is not a number</source>
        <translation>Skalierung: „%1“ ist keine Zahl</translation>
    </message>
    <message>
        <source>Bias: &quot;%1&quot; is not a number</source>
        <translation>Bias: „%1“ ist keine Zahl</translation>
    </message>
</context>
<context>
    <name>cms::ui::InputsPanel</name>
    <message>
        <source>States (iOS18)</source>
        <translation>Zustände (iOS18)</translation>
    </message>
    <message>
        <source>Image preprocessing</source>
        <translation>Bildvorverarbeitung</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>Optionen</translation>
    </message>
    <message>
        <source>Shape like 1x3x224x224, 1x3x(64..512)x(64..512) or enum(1x3x224x224,1x3x256x256). Options: image,scale=1/255,bias=R,G,B,layout=RGB or dtype=fp16|int32</source>
        <translation>Form wie 1x3x224x224, 1x3x(64..512)x(64..512) oder enum(1x3x224x224,1x3x256x256). Optionen: image,scale=1/255,bias=R,G,B,layout=RGB oder dtype=fp16|int32</translation>
    </message>
    <message>
        <source>Tensor</source>
        <translation>Tensor</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Bild</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>Art:</translation>
    </message>
    <message>
        <source>Data type:</source>
        <translation>Datentyp:</translation>
    </message>
    <message>
        <source>Shape:</source>
        <translation>Form:</translation>
    </message>
    <message>
        <source>The package accepts every shape allowed here; the program computes the varying sizes at run time. An op that needs one of them fixed stops Convert with an error naming the op and the dimension.</source>
        <translation>Das Paket akzeptiert jede hier erlaubte Form; das Programm berechnet die veränderlichen Größen zur Laufzeit. Braucht eine Operation eine davon fest, bricht „Konvertieren“ mit einem Fehler ab, der Operation und Dimension nennt.</translation>
    </message>
    <message>
        <source>Output names</source>
        <translation>Ausgabenamen</translation>
    </message>
    <message>
        <source>Model output</source>
        <translation>Modellausgabe</translation>
    </message>
    <message>
        <source>Name in the package</source>
        <translation>Name im Paket</translation>
    </message>
    <message>
        <source>Make %1 %2</source>
        <translation>%1 zu %2 machen</translation>
    </message>
    <message>
        <source>an image</source>
        <translation>einem Bild</translation>
    </message>
    <message>
        <source>a tensor</source>
        <translation>einem Tensor</translation>
    </message>
    <message>
        <source>Set the data type of %1</source>
        <translation>Datentyp von %1 festlegen</translation>
    </message>
    <message>
        <source>Edit the shape of %1</source>
        <translation>Form von %1 bearbeiten</translation>
    </message>
    <message>
        <source>Edit the preprocessing of %1</source>
        <translation>Vorverarbeitung von %1 bearbeiten</translation>
    </message>
    <message>
        <source>output %1</source>
        <translation>Ausgabe %1</translation>
    </message>
    <message>
        <source>No input selected</source>
        <translation>Keine Eingabe ausgewählt</translation>
    </message>
    <message>
        <source>Input &quot;%1&quot;</source>
        <translation>Eingabe „%1“</translation>
    </message>
    <message>
        <source>Enter a shape in the table first.</source>
        <translation>Geben Sie zuerst eine Form in der Tabelle ein.</translation>
    </message>
    <message>
        <source>Clear the shape of %1</source>
        <translation>Form von %1 löschen</translation>
    </message>
    <message>
        <source>Input &quot;%1&quot;: %2
What to do: %3</source>
        <translation>Eingabe „%1“: %2
Was zu tun ist: %3</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>%1 bearbeiten</translation>
    </message>
    <message>
        <source>Output %1 needs a name.</source>
        <translation>Ausgabe %1 braucht einen Namen.</translation>
    </message>
    <message>
        <source>Rename output %1</source>
        <translation>Ausgabe %1 umbenennen</translation>
    </message>
    <message>
        <source>Input &quot;%1&quot;: %2: %3</source>
        <translation>Eingabe „%1“: %2: %3</translation>
    </message>
</context>
<context>
    <name>cms::ui::Labels</name>
    <message>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>Lower</source>
        <translation>Lowering</translation>
    </message>
    <message>
        <source>Passes</source>
        <translation>Optimierung</translation>
    </message>
    <message>
        <source>Compress</source>
        <translation>Komprimierung</translation>
    </message>
    <message>
        <source>Write</source>
        <translation>Schreiben</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <source>Linear quantization</source>
        <translation>Lineare Quantisierung</translation>
    </message>
    <message>
        <source>Palettization</source>
        <translation>Palettierung</translation>
    </message>
    <message>
        <source>Threshold pruning</source>
        <translation>Pruning nach Schwelle</translation>
    </message>
    <message>
        <source>Magnitude pruning</source>
        <translation>Pruning nach Betrag</translation>
    </message>
</context>
<context>
    <name>cms::ui::Language</name>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
</context>
<context>
    <name>cms::ui::MainWindow</name>
    <message>
        <source>%1 — Core ML Conversion Studio</source>
        <translation>%1 – Core ML Conversion Studio</translation>
    </message>
    <message>
        <source>Opened package %1.</source>
        <translation>Paket %1 geöffnet.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>Ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>Open &amp;Demo Model</source>
        <translation>&amp;Demomodell öffnen</translation>
    </message>
    <message>
        <source>&amp;Save Project</source>
        <translation>Projekt &amp;speichern</translation>
    </message>
    <message>
        <source>Save Project &amp;As…</source>
        <translation>Projekt speichern &amp;unter…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>Ü&amp;ber</translation>
    </message>
    <message>
        <source>About Core ML Conversion Studio</source>
        <translation>Über Core ML Conversion Studio</translation>
    </message>
    <message>
        <source>Core ML Conversion Studio %1
Converts TorchScript models to Core ML packages.</source>
        <translation>Core ML Conversion Studio %1
Konvertiert TorchScript-Modelle in Core-ML-Pakete.</translation>
    </message>
    <message>
        <source>Clear Recent Files</source>
        <translation>Liste leeren</translation>
    </message>
    <message>
        <source>No model open. Use File › Open or drop a TorchScript file here.</source>
        <translation>Kein Modell geöffnet. Verwenden Sie Datei › Öffnen oder ziehen Sie eine TorchScript-Datei hierher.</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>Eingaben</translation>
    </message>
    <message>
        <source>Conversion</source>
        <translation>Konvertierung</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>Quantisierung</translation>
    </message>
    <message>
        <source>Convert</source>
        <translation>Konvertieren</translation>
    </message>
    <message>
        <source>Convert the model with these settings (%1)</source>
        <translation>Modell mit diesen Einstellungen konvertieren (%1)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Ergebnisse</translation>
    </message>
    <message>
        <source>Results and errors appear here.</source>
        <translation>Ergebnisse und Fehler erscheinen hier.</translation>
    </message>
    <message>
        <source>Open Model, Package or Project</source>
        <translation>Modell, Paket oder Projekt öffnen</translation>
    </message>
    <message>
        <source>Models and projects (*.pt *.pth *.ts *.ptl *.torchscript *.h5 *.keras *.cmsproj *.json);;TorchScript (*.pt *.pth *.ts *.ptl *.torchscript);;Keras (*.h5 *.keras);;Projects (*.cmsproj *.json);;Core ML package manifest (Manifest.json);;All files (*)</source>
        <translation>Modelle und Projekte (*.pt *.pth *.ts *.ptl *.torchscript *.h5 *.keras *.cmsproj *.json);;TorchScript (*.pt *.pth *.ts *.ptl *.torchscript);;Keras (*.h5 *.keras);;Projekte (*.cmsproj *.json);;Manifest eines Core-ML-Pakets (Manifest.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>A job is running; cancel it or wait before opening another model.</source>
        <translation>Ein Auftrag läuft; brechen Sie ihn ab oder warten Sie, bevor Sie ein anderes Modell öffnen.</translation>
    </message>
    <message>
        <source>Opening %1 …</source>
        <translation>%1 wird geöffnet …</translation>
    </message>
    <message>
        <source>A job is running; cancel it or wait before opening a package.</source>
        <translation>Ein Auftrag läuft; brechen Sie ihn ab oder warten Sie, bevor Sie ein Paket öffnen.</translation>
    </message>
    <message>
        <source>Reading %1 …</source>
        <translation>%1 wird gelesen …</translation>
    </message>
    <message>
        <source>A job is running; cancel it or wait before opening a project.</source>
        <translation>Ein Auftrag läuft; brechen Sie ihn ab oder warten Sie, bevor Sie ein Projekt öffnen.</translation>
    </message>
    <message>
        <source>Opened project %1. It names no model: open one to convert.</source>
        <translation>Projekt %1 geöffnet. Es nennt kein Modell: Öffnen Sie eines, um zu konvertieren.</translation>
    </message>
    <message>
        <source>A job is running; cancel it or wait before restoring settings.</source>
        <translation>Ein Auftrag läuft; brechen Sie ihn ab oder warten Sie, bevor Sie Einstellungen wiederherstellen.</translation>
    </message>
    <message>
        <source>Restore autosaved settings</source>
        <translation>Automatisch gespeicherte Einstellungen wiederherstellen</translation>
    </message>
    <message>
        <source>Restored the autosaved settings.</source>
        <translation>Die automatisch gespeicherten Einstellungen wurden wiederhergestellt.</translation>
    </message>
    <message>
        <source>Saved project %1</source>
        <translation>Projekt %1 gespeichert</translation>
    </message>
    <message>
        <source>Save Project</source>
        <translation>Projekt speichern</translation>
    </message>
    <message>
        <source>Conversion project (*.cmsproj);;Settings JSON (*.json)</source>
        <translation>Konvertierungsprojekt (*.cmsproj);;Einstellungen als JSON (*.json)</translation>
    </message>
    <message>
        <source>Unsaved Changes</source>
        <translation>Nicht gespeicherte Änderungen</translation>
    </message>
    <message>
        <source>The conversion settings have unsaved changes. Save them first?</source>
        <translation>Die Konvertierungseinstellungen haben nicht gespeicherte Änderungen. Zuerst speichern?</translation>
    </message>
    <message>
        <source>Core ML Conversion Studio</source>
        <translation>Core ML Conversion Studio</translation>
    </message>
    <message>
        <source>%1[*] — Core ML Conversion Studio</source>
        <translation>%1[*] – Core ML Conversion Studio</translation>
    </message>
    <message>
        <source>Settings from project %1</source>
        <translation>Einstellungen aus Projekt %1</translation>
    </message>
    <message>
        <source>Defaults read from %1</source>
        <translation>Vorgaben aus %1 gelesen</translation>
    </message>
    <message>
        <source>Ignored %1: %2</source>
        <translation>%1 ignoriert: %2</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>Warnung: %1</translation>
    </message>
    <message>
        <source>Enter a shape for each input (TorchScript files do not record them), e.g. 1x3x224x224.</source>
        <translation>Geben Sie für jede Eingabe eine Form ein (TorchScript-Dateien speichern sie nicht), z. B. 1x3x224x224.</translation>
    </message>
    <message>
        <source>Opened %1.
</source>
        <translation>%1 geöffnet.
</translation>
    </message>
    <message>
        <source>Open a model first (File › Open, or drop a file on the window).</source>
        <translation>Öffnen Sie zuerst ein Modell (Datei › Öffnen, oder ziehen Sie eine Datei auf das Fenster).</translation>
    </message>
    <message>
        <source>Converting %1 …</source>
        <translation>%1 wird konvertiert …</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>%1 geschrieben</translation>
    </message>
    <message>
        <source>Size: %1</source>
        <translation>Größe: %1</translation>
    </message>
    <message>
        <source>Ops: %1 (excluding constants)</source>
        <translation>Operationen: %1 (ohne Konstanten)</translation>
    </message>
    <message>
        <source>Stage times: %1</source>
        <translation>Dauer der Schritte: %1</translation>
    </message>
    <message>
        <source>No warnings.</source>
        <translation>Keine Warnungen.</translation>
    </message>
    <message>
        <source>Cancelled. No package was written.</source>
        <translation>Abgebrochen. Es wurde kein Paket geschrieben.</translation>
    </message>
    <message>
        <source>reading ops…</source>
        <translation>Operationen werden gelesen…</translation>
    </message>
    <message>
        <source>%1 source ops</source>
        <translation>%1 Quelloperationen</translation>
    </message>
    <message>
        <source>Model: %1 (%2; outputs: %3)</source>
        <translation>Modell: %1 (%2; Ausgaben: %3)</translation>
    </message>
    <message>
        <source>Compress as…</source>
        <translation>Komprimieren als…</translation>
    </message>
    <message>
        <source>Compress as… (select ops with weights)</source>
        <translation>Komprimieren als… (Operationen mit Gewichten auswählen)</translation>
    </message>
    <message>
        <source>Keep uncompressed</source>
        <translation>Unkomprimiert lassen</translation>
    </message>
    <message>
        <source>%1 %2 s</source>
        <translation>%1 %2 s</translation>
    </message>
    <message>
        <source>Stop the conversion; nothing is written (Esc)</source>
        <translation>Konvertierung anhalten; es wird nichts geschrieben (Esc)</translation>
    </message>
</context>
<context>
    <name>cms::ui::Minimap</name>
    <message>
        <source>Overview: click or drag to move the view</source>
        <translation>Übersicht: Klicken oder ziehen, um die Ansicht zu verschieben</translation>
    </message>
</context>
<context>
    <name>cms::ui::NodeInspector</name>
    <message>
        <source>Op</source>
        <translation>Operation</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>Familie</translation>
    </message>
    <message>
        <source>MIL name</source>
        <translation>MIL-Name</translation>
    </message>
    <message>
        <source>Lowered from</source>
        <translation>Abgeleitet aus</translation>
    </message>
    <message>
        <source>Module</source>
        <translation>Modul</translation>
    </message>
    <message>
        <source>Module type</source>
        <translation>Modultyp</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>Eingaben</translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation>Ausgaben</translation>
    </message>
    <message>
        <source>Attributes</source>
        <translation>Attribute</translation>
    </message>
    <message>
        <source>Weight %1</source>
        <translation>Gewicht %1</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>Dtype</source>
        <translation>Datentyp</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>Bereich</translation>
    </message>
    <message>
        <source>Ops inside</source>
        <translation>Enthaltene Operationen</translation>
    </message>
    <message>
        <source>known when the import finishes</source>
        <translation>bekannt, wenn der Import abgeschlossen ist</translation>
    </message>
    <message>
        <source>Submodules</source>
        <translation>Untermodule</translation>
    </message>
    <message>
        <source>Ops</source>
        <translation>Operationen</translation>
    </message>
    <message>
        <source>Double-click to expand or collapse.</source>
        <translation>Doppelklick zum Auf- oder Zuklappen.</translation>
    </message>
    <message>
        <source>Select an op to inspect it. Double-click a group to expand or collapse it.</source>
        <translation>Wählen Sie eine Operation, um sie zu untersuchen. Doppelklicken Sie auf eine Gruppe, um sie auf- oder zuzuklappen.</translation>
    </message>
</context>
<context>
    <name>cms::ui::PlacementReportView</name>
    <message>
        <source>Colour the graph</source>
        <translation>Graph einfärben</translation>
    </message>
    <message>
        <source>By device</source>
        <translation>Nach Gerät</translation>
    </message>
    <message>
        <source>By estimated time</source>
        <translation>Nach geschätzter Zeit</translation>
    </message>
    <message>
        <source>Estimated time by device (ms)</source>
        <translation>Geschätzte Zeit nach Gerät (ms)</translation>
    </message>
    <message>
        <source>Ops by device</source>
        <translation>Operationen nach Gerät</translation>
    </message>
    <message>
        <source>Op</source>
        <translation>Operation</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Estimated time (µs)</source>
        <translation>Geschätzte Zeit (µs)</translation>
    </message>
    <message>
        <source>Why not on the Neural Engine</source>
        <translation>Warum nicht auf der Neural Engine</translation>
    </message>
    <message>
        <source>Chip:</source>
        <translation>Chip:</translation>
    </message>
    <message>
        <source>Compute units:</source>
        <translation>Recheneinheiten:</translation>
    </message>
    <message>
        <source>Colour:</source>
        <translation>Farbe:</translation>
    </message>
    <message>
        <source>No conversion yet. Where Core ML is likely to run each op appears here after Convert.</source>
        <translation>Noch keine Konvertierung. Wo Core ML jede Operation voraussichtlich ausführt, erscheint hier nach „Konvertieren“.</translation>
    </message>
    <message>
        <source>%1% of ops on the %2</source>
        <translation>%1 % der Operationen auf %2</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;About %1 per prediction&lt;/b&gt; on %2 — %3; %n hand-over(s) between devices.</source>
        <translation>
            <numerusform>&lt;b&gt;Etwa %1 pro Vorhersage&lt;/b&gt; auf %2 – %3; %n Übergabe zwischen Geräten.</numerusform>
            <numerusform>&lt;b&gt;Etwa %1 pro Vorhersage&lt;/b&gt; auf %2 – %3; %n Übergaben zwischen Geräten.</numerusform>
        </translation>
    </message>
    <message>
        <source>This is an estimate from public notes and peak figures; on a Mac, Xcode&apos;s performance report shows where the model really runs.</source>
        <translation>Dies ist eine Schätzung aus öffentlichen Angaben und Spitzenwerten; auf einem Mac zeigt der Leistungsbericht von Xcode, wo das Modell wirklich läuft.</translation>
    </message>
    <message>
        <source>Ops</source>
        <translation>Operationen</translation>
    </message>
    <message>
        <source>Legend: %1</source>
        <translation>Legende: %1</translation>
    </message>
    <message>
        <source>Legend: estimated time per op, %1 %2 %3</source>
        <translation>Legende: geschätzte Zeit pro Operation, %1 %2 %3</translation>
    </message>
    <message>
        <source>Placement (estimate)</source>
        <translation>Platzierung (Schätzung)</translation>
    </message>
    <message numerus="yes">
        <source>%1, compute units %2: about %3 per prediction, %n hand-over(s).</source>
        <translation>
            <numerusform>%1, Recheneinheiten %2: etwa %3 pro Vorhersage, %n Übergabe.</numerusform>
            <numerusform>%1, Recheneinheiten %2: etwa %3 pro Vorhersage, %n Übergaben.</numerusform>
        </translation>
    </message>
    <message>
        <source>Estimated time</source>
        <translation>Geschätzte Zeit</translation>
    </message>
    <message>
        <source>Placement</source>
        <translation>Platzierung</translation>
    </message>
    <message>
        <source>µs</source>
        <translation>µs</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>Estimated time by device (%1)</source>
        <translation>Geschätzte Zeit nach Gerät (%1)</translation>
    </message>
    <message>
        <source>Estimated time (%1)</source>
        <translation>Geschätzte Zeit (%1)</translation>
    </message>
</context>
<context>
    <name>cms::ui::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>The new language is used when the studio starts next.</source>
        <translation>Die neue Sprache wird beim nächsten Start des Studios verwendet.</translation>
    </message>
    <message>
        <source>&amp;Clear Recent Files</source>
        <translation>Zuletzt geöffnete Dateien &amp;leeren</translation>
    </message>
    <message>
        <source>Recent files:</source>
        <translation>Zuletzt geöffnet:</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
</context>
<context>
    <name>cms::ui::QuantizationPanel</name>
    <message>
        <source>Convert applies these rows to the weights (more specific rows win: op, then op type, then global). Compressed weights need iOS16 or later (4-bit and per-block quantization: iOS18); Convert names any row the deployment target cannot run.</source>
        <translation>„Konvertieren“ wendet diese Zeilen auf die Gewichte an (genauere Zeilen haben Vorrang: Operation, dann Operationstyp, dann global). Komprimierte Gewichte brauchen iOS16 oder neuer (4-Bit- und blockweise Quantisierung: iOS18); „Konvertieren“ nennt jede Zeile, die die Zielplattform nicht ausführen kann.</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>Geltungsbereich</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Verfahren</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Modus</translation>
    </message>
    <message>
        <source>Bits</source>
        <translation>Bits</translation>
    </message>
    <message>
        <source>Granularity</source>
        <translation>Granularität</translation>
    </message>
    <message>
        <source>Block/group</source>
        <translation>Block/Gruppe</translation>
    </message>
    <message>
        <source>Min. elements</source>
        <translation>Min. Elemente</translation>
    </message>
    <message>
        <source>weight_threshold: smaller weights stay uncompressed</source>
        <translation>weight_threshold: kleinere Gewichte bleiben unkomprimiert</translation>
    </message>
    <message>
        <source>Global</source>
        <translation>Global</translation>
    </message>
    <message>
        <source>Add op type</source>
        <translation>Operationstyp hinzufügen</translation>
    </message>
    <message>
        <source>Add op</source>
        <translation>Operation hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Load YAML…</source>
        <translation>YAML laden…</translation>
    </message>
    <message>
        <source>Save YAML…</source>
        <translation>YAML speichern…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Clear compression settings</source>
        <translation>Komprimierungseinstellungen leeren</translation>
    </message>
    <message>
        <source>Load Compression Config</source>
        <translation>Komprimierungskonfiguration laden</translation>
    </message>
    <message>
        <source>YAML (*.yaml *.yml);;All files (*)</source>
        <translation>YAML (*.yaml *.yml);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Save Compression Config</source>
        <translation>Komprimierungskonfiguration speichern</translation>
    </message>
    <message>
        <source>YAML (*.yaml *.yml)</source>
        <translation>YAML (*.yaml *.yml)</translation>
    </message>
    <message>
        <source>Load %1</source>
        <translation>%1 laden</translation>
    </message>
    <message numerus="yes">
        <source>Compress %n op(s)</source>
        <translation>
            <numerusform>%n Operation komprimieren</numerusform>
            <numerusform>%n Operationen komprimieren</numerusform>
        </translation>
    </message>
    <message>
        <source>Add a compression row</source>
        <translation>Komprimierungszeile hinzufügen</translation>
    </message>
    <message>
        <source>Remove a compression row</source>
        <translation>Komprimierungszeile entfernen</translation>
    </message>
    <message>
        <source>(all weights)</source>
        <translation>(alle Gewichte)</translation>
    </message>
    <message>
        <source>None (keep)</source>
        <translation>Keine (belassen)</translation>
    </message>
    <message>
        <source>block_size (input-axis elements per scale)</source>
        <translation>block_size (Elemente der Eingabeachse pro Skalierung)</translation>
    </message>
    <message>
        <source>group_size (channels per table)</source>
        <translation>group_size (Kanäle pro Tabelle)</translation>
    </message>
    <message>
        <source>threshold: weights with |w| at or below it become zero</source>
        <translation>threshold: Gewichte mit |w| kleiner oder gleich diesem Wert werden null</translation>
    </message>
    <message>
        <source>min. sparsity </source>
        <translation>min. Dünnbesetzung </translation>
    </message>
    <message>
        <source>minimum_sparsity_percentile: a weight is pruned only if at least this fraction of it falls under the threshold</source>
        <translation>minimum_sparsity_percentile: ein Gewicht wird nur beschnitten, wenn mindestens dieser Anteil unter der Schwelle liegt</translation>
    </message>
    <message>
        <source>target sparsity</source>
        <translation>Ziel-Dünnbesetzung</translation>
    </message>
    <message>
        <source>n:m</source>
        <translation>n:m</translation>
    </message>
    <message>
        <source>n_m_ratio: n of every m consecutive weights become zero (e.g. 2:4)</source>
        <translation>n_m_ratio: n von je m aufeinanderfolgenden Gewichten werden null (z. B. 2:4)</translation>
    </message>
    <message>
        <source>target_sparsity: the fraction of weights (smallest magnitudes) set to zero</source>
        <translation>target_sparsity: der Anteil der Gewichte (kleinste Beträge), der auf null gesetzt wird</translation>
    </message>
    <message>
        <source>dim: default</source>
        <translation>dim: Standard</translation>
    </message>
    <message>
        <source>dim 0</source>
        <translation>dim 0</translation>
    </message>
    <message>
        <source>dim 1</source>
        <translation>dim 1</translation>
    </message>
    <message>
        <source>dim: the axis blocks and n:m groups run along</source>
        <translation>dim: die Achse, entlang der Blöcke und n:m-Gruppen verlaufen</translation>
    </message>
    <message>
        <source>no blocks</source>
        <translation>keine Blöcke</translation>
    </message>
    <message>
        <source>block_size: weights are zeroed in blocks of this many along dim</source>
        <translation>block_size: Gewichte werden in Blöcken dieser Größe entlang dim auf null gesetzt</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Keep weights uncompressed</source>
        <translation>Gewichte unkomprimiert lassen</translation>
    </message>
    <message>
        <source>The pruning threshold must be a number of 0 or more, e.g. 1e-3.</source>
        <translation>Die Pruning-Schwelle muss eine Zahl ab 0 sein, z. B. 1e-3.</translation>
    </message>
    <message>
        <source>An n:m ratio needs 0 &lt;= n &lt;= m and m &gt;= 1, e.g. 2:4.</source>
        <translation>Ein n:m-Verhältnis braucht 0 &lt;= n &lt;= m und m &gt;= 1, z. B. 2:4.</translation>
    </message>
    <message>
        <source>Edit compression of %1</source>
        <translation>Komprimierung von %1 bearbeiten</translation>
    </message>
    <message>
        <source>all weights</source>
        <translation>alle Gewichte</translation>
    </message>
    <message>
        <source>A compression row needs a name.</source>
        <translation>Eine Komprimierungszeile braucht einen Namen.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; already has a row.</source>
        <translation>„%1“ hat bereits eine Zeile.</translation>
    </message>
    <message>
        <source>Rename compression row</source>
        <translation>Komprimierungszeile umbenennen</translation>
    </message>
    <message>
        <source>Open a model to see the estimated weight size.</source>
        <translation>Öffnen Sie ein Modell, um die geschätzte Gewichtsgröße zu sehen.</translation>
    </message>
    <message>
        <source>Estimated weights: %1 at %2 → %3 with these settings (%4× smaller; %5 of %6 weights compressed).</source>
        <translation>Geschätzte Gewichte: %1 bei %2 → %3 mit diesen Einstellungen (%4× kleiner; %5 von %6 Gewichten komprimiert).</translation>
    </message>
    <message>
        <source>Op type</source>
        <translation>Operationstyp</translation>
    </message>
    <message>
        <source>Op name</source>
        <translation>Operationsname</translation>
    </message>
</context>
<context>
    <name>cms::ui::ReportsController</name>
    <message numerus="yes">
        <source>Keep %n op(s) in fp32</source>
        <translation>
            <numerusform>%n Operation in fp32 belassen</numerusform>
            <numerusform>%n Operationen in fp32 belassen</numerusform>
        </translation>
    </message>
    <message>
        <source>The reports of the last conversion are still being prepared; try again in a moment.</source>
        <translation>Die Berichte der letzten Konvertierung werden noch erstellt; versuchen Sie es gleich noch einmal.</translation>
    </message>
    <message>
        <source>Apply recommended compression</source>
        <translation>Empfohlene Komprimierung anwenden</translation>
    </message>
</context>
<context>
    <name>cms::ui::ResultsPanel</name>
    <message>
        <source>Show ML Program</source>
        <translation>ML Program anzeigen</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>Ordner öffnen</translation>
    </message>
    <message>
        <source>MIL op</source>
        <translation>MIL-Operation</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>Ops by type (constants excluded)</source>
        <translation>Operationen nach Typ (ohne Konstanten)</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Warnungen</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <source>No conversion yet. The package, its ops and any warnings appear here when one finishes.</source>
        <translation>Noch keine Konvertierung. Paket, Operationen und Warnungen erscheinen hier, sobald eine abgeschlossen ist.</translation>
    </message>
    <message>
        <source>%1 %2 s</source>
        <translation>%1 %2 s</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2 &amp;nbsp;·&amp;nbsp; %n op(s) &amp;nbsp;·&amp;nbsp; %3 warning(s)&lt;br&gt;&lt;span style=&apos;color:%5&apos;&gt;%4&lt;/span&gt;</source>
        <translation>
            <numerusform>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2 &amp;nbsp;·&amp;nbsp; %n Operation &amp;nbsp;·&amp;nbsp; %3 Warnung(en)&lt;br&gt;&lt;span style=&apos;color:%5&apos;&gt;%4&lt;/span&gt;</numerusform>
            <numerusform>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2 &amp;nbsp;·&amp;nbsp; %n Operationen &amp;nbsp;·&amp;nbsp; %3 Warnung(en)&lt;br&gt;&lt;span style=&apos;color:%5&apos;&gt;%4&lt;/span&gt;</numerusform>
        </translation>
    </message>
    <message>
        <source>No warnings.</source>
        <translation>Keine Warnungen.</translation>
    </message>
</context>
<context>
    <name>cms::ui::ReviewController</name>
    <message>
        <source>Unsupported Ops</source>
        <translation>Nicht unterstützte Operationen</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>Checkliste</translation>
    </message>
    <message>
        <source>Swift</source>
        <translation>Swift</translation>
    </message>
    <message>
        <source>Re&amp;view</source>
        <translation>&amp;Prüfen</translation>
    </message>
    <message>
        <source>&amp;Unsupported Ops</source>
        <translation>&amp;Nicht unterstützte Operationen</translation>
    </message>
    <message>
        <source>Production &amp;Checklist</source>
        <translation>&amp;Checkliste für den Produktiveinsatz</translation>
    </message>
    <message>
        <source>&amp;Swift Code</source>
        <translation>&amp;Swift-Code</translation>
    </message>
    <message>
        <source>Export Report as &amp;HTML…</source>
        <translation>Bericht als &amp;HTML exportieren…</translation>
    </message>
    <message>
        <source>Export Report as &amp;PDF…</source>
        <translation>Bericht als &amp;PDF exportieren…</translation>
    </message>
    <message>
        <source>Fix in the Model&apos;s Export</source>
        <translation>Beim Export des Modells beheben</translation>
    </message>
    <message>
        <source>This is fixed where the model is exported, not in the studio: %1.</source>
        <translation>Dies wird beim Export des Modells behoben, nicht im Studio: %1.</translation>
    </message>
    <message>
        <source>Use composites %1</source>
        <translation>Komposita %1 verwenden</translation>
    </message>
    <message>
        <source>Exported the report to %1</source>
        <translation>Bericht nach %1 exportiert</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>HTML (*.html)</source>
        <translation>HTML (*.html)</translation>
    </message>
    <message>
        <source>Export Report</source>
        <translation>Bericht exportieren</translation>
    </message>
</context>
<context>
    <name>cms::ui::SensitivityView</name>
    <message>
        <source>Analyse Sensitivity</source>
        <translation>Empfindlichkeit analysieren</translation>
    </message>
    <message>
        <source>Apply Recommended Settings to the Quantization Table</source>
        <translation>Empfohlene Einstellungen in die Quantisierungstabelle übernehmen</translation>
    </message>
    <message>
        <source> dB</source>
        <translation> dB</translation>
    </message>
    <message>
        <source>The smallest signal-to-noise ratio the whole model should keep; 35 dB is a common choice</source>
        <translation>Der kleinste Signal-Rausch-Abstand, den das ganze Modell halten soll; 35 dB ist eine übliche Wahl</translation>
    </message>
    <message>
        <source>Compresses each layer alone with each setting and measures the model&apos;s output (needs a package for iOS16 or later, converted without compression)</source>
        <translation>Komprimiert jede Schicht einzeln mit jeder Einstellung und misst die Ausgabe des Modells (braucht ein ohne Komprimierung konvertiertes Paket für iOS16 oder neuer)</translation>
    </message>
    <message>
        <source>Sets the recommended per-layer compression in the Quantization tab (undoable); Convert then applies it</source>
        <translation>Setzt die empfohlene Komprimierung pro Schicht im Reiter „Quantisierung“ (rückgängig machbar); „Konvertieren“ wendet sie dann an</translation>
    </message>
    <message>
        <source>Model output signal-to-noise with one layer compressed (higher: less sensitive)</source>
        <translation>Signal-Rausch-Abstand der Modellausgabe bei einer komprimierten Schicht (höher: weniger empfindlich)</translation>
    </message>
    <message>
        <source>Target:</source>
        <translation>Ziel:</translation>
    </message>
    <message>
        <source>Analysing: each layer is compressed with each setting and the model run again…</source>
        <translation>Analyse läuft: Jede Schicht wird mit jeder Einstellung komprimiert und das Modell erneut ausgeführt…</translation>
    </message>
    <message>
        <source>The analysis could not run: %1</source>
        <translation>Die Analyse konnte nicht laufen: %1</translation>
    </message>
    <message>
        <source>No conversion yet. Convert (for iOS16 or later, without compression), then analyse which layers tolerate compression.</source>
        <translation>Noch keine Konvertierung. Konvertieren Sie (für iOS16 oder neuer, ohne Komprimierung) und analysieren Sie dann, welche Schichten Komprimierung vertragen.</translation>
    </message>
    <message>
        <source>Analyse the package of %1 to see how much each layer&apos;s compression costs in accuracy, and a per-layer setting that keeps the model above the target.</source>
        <translation>Analysieren Sie das Paket von %1, um zu sehen, wie viel Genauigkeit die Komprimierung jeder Schicht kostet, und eine Einstellung pro Schicht, die das Modell über dem Ziel hält.</translation>
    </message>
    <message>
        <source>%1 everywhere: %2, %3</source>
        <translation>%1 überall: %2, %3</translation>
    </message>
    <message>
        <source>&lt;b&gt;Recommended mix: %1 → %2&lt;/b&gt;, measured %3 (target %4) — %5.&lt;br&gt;For comparison: %6.</source>
        <translation>&lt;b&gt;Empfohlene Mischung: %1 → %2&lt;/b&gt;, gemessen %3 (Ziel %4) – %5.&lt;br&gt;Zum Vergleich: %6.</translation>
    </message>
    <message>
        <source>meets the target</source>
        <translation>erreicht das Ziel</translation>
    </message>
    <message>
        <source>does not meet the target</source>
        <translation>erreicht das Ziel nicht</translation>
    </message>
    <message>
        <source>dB</source>
        <translation>dB</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>%1 (dB)</source>
        <translation>%1 (dB)</translation>
    </message>
    <message>
        <source>Recommended</source>
        <translation>Empfohlen</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>k. A.</translation>
    </message>
    <message>
        <source>keep uncompressed</source>
        <translation>unkomprimiert lassen</translation>
    </message>
    <message>
        <source>Compression sensitivity</source>
        <translation>Komprimierungsempfindlichkeit</translation>
    </message>
    <message>
        <source>Recommended mix: %1 → %2, measured %3 (target %4).</source>
        <translation>Empfohlene Mischung: %1 → %2, gemessen %3 (Ziel %4).</translation>
    </message>
    <message>
        <source>Sensitivity</source>
        <translation>Empfindlichkeit</translation>
    </message>
</context>
<context>
    <name>cms::ui::ShapeEditor</name>
    <message>
        <source>Add shape</source>
        <translation>Form hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Fixed shape</source>
        <translation>Feste Form</translation>
    </message>
    <message>
        <source>Ranges per dimension</source>
        <translation>Bereiche pro Dimension</translation>
    </message>
    <message>
        <source>Enumerated shapes</source>
        <translation>Aufgezählte Formen</translation>
    </message>
    <message>
        <source>Size (default)</source>
        <translation>Größe (Standard)</translation>
    </message>
    <message>
        <source>Lower</source>
        <translation>Lowering</translation>
    </message>
    <message>
        <source>Upper</source>
        <translation>Obergrenze</translation>
    </message>
    <message>
        <source>Ranges: leave Lower and Upper empty to keep a dimension fixed; an empty Upper is unbounded.</source>
        <translation>Bereiche: Lassen Sie Unter- und Obergrenze leer, um eine Dimension fest zu lassen; eine leere Obergrenze ist unbegrenzt.</translation>
    </message>
    <message>
        <source>Shape (the first is the default)</source>
        <translation>Form (die erste ist der Standard)</translation>
    </message>
    <message>
        <source>Enter a shape for &quot;%1&quot; first.</source>
        <translation>Geben Sie zuerst eine Form für „%1“ ein.</translation>
    </message>
    <message>
        <source>dimension %1</source>
        <translation>Dimension %1</translation>
    </message>
    <message>
        <source>%1: the size must be a positive integer, got &quot;%2&quot;</source>
        <translation>%1: Die Größe muss eine positive ganze Zahl sein, erhalten: „%2“</translation>
    </message>
    <message>
        <source>%1: bounds must be positive integers (an empty upper bound is unbounded)</source>
        <translation>%1: Grenzen müssen positive ganze Zahlen sein (eine leere Obergrenze ist unbegrenzt)</translation>
    </message>
    <message>
        <source>Input &quot;%1&quot;: %2</source>
        <translation>Eingabe „%1“: %2</translation>
    </message>
    <message>
        <source>An enumerated shape is a fixed shape like 1x3x224x224, got &quot;%1&quot;</source>
        <translation>Eine aufgezählte Form ist eine feste Form wie 1x3x224x224, erhalten: „%1“</translation>
    </message>
</context>
<context>
    <name>cms::ui::SizeReportView</name>
    <message>
        <source>Weight bytes by layer, before and after compression</source>
        <translation>Gewichtsbytes pro Schicht, vor und nach der Komprimierung</translation>
    </message>
    <message>
        <source>Weight bytes by storage type</source>
        <translation>Gewichtsbytes nach Speichertyp</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Gewicht</translation>
    </message>
    <message>
        <source>Used by</source>
        <translation>Verwendet von</translation>
    </message>
    <message>
        <source>Elements</source>
        <translation>Elemente</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Nachher</translation>
    </message>
    <message>
        <source>Bits per weight</source>
        <translation>Bits pro Gewicht</translation>
    </message>
    <message>
        <source>Stored as</source>
        <translation>Gespeichert als</translation>
    </message>
    <message>
        <source>No conversion yet. The package&apos;s size, layer by layer, appears here after Convert.</source>
        <translation>Noch keine Konvertierung. Die Größe des Pakets erscheint hier nach „Konvertieren“, Schicht für Schicht.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Package written: %1&lt;/b&gt; (%2 if every weight were fp32, %3 in fp16).</source>
        <translation>&lt;b&gt;Paket geschrieben: %1&lt;/b&gt; (%2, wenn alle Gewichte fp32 wären, %3 in fp16).</translation>
    </message>
    <message numerus="yes">
        <source>Compression: %n weight(s) from %1 to %2, %3× smaller (%4 bits per weight on average).</source>
        <translation>
            <numerusform>Komprimierung: %n Gewicht von %1 auf %2, %3× kleiner (im Mittel %4 Bits pro Gewicht).</numerusform>
            <numerusform>Komprimierung: %n Gewichte von %1 auf %2, %3× kleiner (im Mittel %4 Bits pro Gewicht).</numerusform>
        </translation>
    </message>
    <message>
        <source>No weight compression was set: every weight is stored as it was converted. The Quantization tab sets compression.</source>
        <translation>Es wurde keine Gewichtskomprimierung eingestellt: Jedes Gewicht wird so gespeichert, wie es konvertiert wurde. Der Reiter „Quantisierung“ legt die Komprimierung fest.</translation>
    </message>
    <message>
        <source>Compared with fp32 weights the package is %1× smaller.</source>
        <translation>Verglichen mit fp32-Gewichten ist das Paket %1× kleiner.</translation>
    </message>
    <message>
        <source>Package size (kB)</source>
        <translation>Paketgröße (kB)</translation>
    </message>
    <message>
        <source>All fp32</source>
        <translation>Alles in fp32</translation>
    </message>
    <message>
        <source>All fp16</source>
        <translation>Alles in fp16</translation>
    </message>
    <message>
        <source>As written</source>
        <translation>Wie geschrieben</translation>
    </message>
    <message>
        <source>kB</source>
        <translation>kB</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Weight bytes of the %1 largest layers, before and after compression</source>
        <translation>Gewichtsbytes der %1 größten Schichten, vor und nach der Komprimierung</translation>
    </message>
    <message>
        <source>Before (kB)</source>
        <translation>Vorher (kB)</translation>
    </message>
    <message>
        <source>After (kB)</source>
        <translation>Nachher (kB)</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Package, every weight fp32</source>
        <translation>Paket, alle Gewichte fp32</translation>
    </message>
    <message>
        <source>Package, every weight fp16</source>
        <translation>Paket, alle Gewichte fp16</translation>
    </message>
    <message>
        <source>Package as written</source>
        <translation>Paket wie geschrieben</translation>
    </message>
    <message>
        <source>Compressed weights</source>
        <translation>Komprimierte Gewichte</translation>
    </message>
    <message>
        <source>%1 → %2 (%3×, %4 bits per weight)</source>
        <translation>%1 → %2 (%3×, %4 Bits pro Gewicht)</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Bytes before</source>
        <translation>Bytes vorher</translation>
    </message>
    <message>
        <source>Bytes after</source>
        <translation>Bytes nachher</translation>
    </message>
    <message>
        <source>Package size by weight precision</source>
        <translation>Paketgröße nach Präzision der Gewichte</translation>
    </message>
</context>
<context>
    <name>cms::ui::StartPage</name>
    <message>
        <source>&lt;h1&gt;Core ML Conversion Studio&lt;/h1&gt;&lt;p&gt;Convert TorchScript models (.pt, .pth, .ts) to Core ML packages. Drop a model or an .mlpackage folder anywhere on this window, or use File › Open.&lt;/p&gt;</source>
        <translation>&lt;h1&gt;Core ML Conversion Studio&lt;/h1&gt;&lt;p&gt;Konvertieren Sie TorchScript-Modelle (.pt, .pth, .ts) in Core-ML-Pakete. Ziehen Sie ein Modell oder einen .mlpackage-Ordner irgendwo auf dieses Fenster oder verwenden Sie Datei › Öffnen.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Open the demo model</source>
        <translation>Demomodell öffnen</translation>
    </message>
    <message>
        <source>The demo model is missing: %1</source>
        <translation>Das Demomodell fehlt: %1</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>Öffnen…</translation>
    </message>
    <message>
        <source>&lt;b&gt;Recent models and packages&lt;/b&gt;</source>
        <translation>&lt;b&gt;Zuletzt geöffnete Modelle und Pakete&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Recent projects&lt;/b&gt;</source>
        <translation>&lt;b&gt;Zuletzt geöffnete Projekte&lt;/b&gt;</translation>
    </message>
    <message>
        <source>No models opened yet.</source>
        <translation>Noch keine Modelle geöffnet.</translation>
    </message>
    <message>
        <source>No projects saved yet.</source>
        <translation>Noch keine Projekte gespeichert.</translation>
    </message>
</context>
<context>
    <name>cms::ui::StatesEditor</name>
    <message>
        <source>Declare them</source>
        <translation>Deklarieren</translation>
    </message>
    <message>
        <source>Declare the model&apos;s states</source>
        <translation>Zustände des Modells deklarieren</translation>
    </message>
    <message>
        <source>The model writes these buffers in place: %1</source>
        <translation>Das Modell überschreibt diese Puffer direkt: %1</translation>
    </message>
    <message>
        <source>Add state</source>
        <translation>Zustand hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Buffer</source>
        <translation>Puffer</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>Buffers the model writes in place (a KV cache), kept by Core ML between predictions. Name as in the model (k_cache or layers.0.k_cache), shape like 6x1x8x64x64. States need iOS18.</source>
        <translation>Puffer, die das Modell direkt überschreibt (ein KV-Cache) und die Core ML zwischen Vorhersagen behält. Name wie im Modell (k_cache oder layers.0.k_cache), Form wie 6x1x8x64x64. Zustände brauchen iOS18.</translation>
    </message>
    <message>
        <source>State &quot;%1&quot;: %2
What to do: %3</source>
        <translation>Zustand „%1“: %2
Was zu tun ist: %3</translation>
    </message>
    <message>
        <source>State &quot;%1&quot; is listed twice.</source>
        <translation>Zustand „%1“ ist doppelt aufgeführt.</translation>
    </message>
    <message>
        <source>Set state %1</source>
        <translation>Zustand %1 festlegen</translation>
    </message>
    <message>
        <source>Remove state %1</source>
        <translation>Zustand %1 entfernen</translation>
    </message>
</context>
<context>
    <name>cms::ui::SwiftSnippetView</name>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Swift code</source>
        <translation>Swift-Code</translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>In die Zwischenablage kopiert.</translation>
    </message>
    <message>
        <source>Swift code for %1 with its input and output names and types, compute units %2, and a memory-efficient model cache.</source>
        <translation>Swift-Code für %1 mit den Namen und Typen seiner Ein- und Ausgaben, Recheneinheiten %2 und einem speichersparenden Modell-Cache.</translation>
    </message>
    <message>
        <source>Convert the model to get Swift code for the package.</source>
        <translation>Konvertieren Sie das Modell, um Swift-Code für das Paket zu erhalten.</translation>
    </message>
</context>
<context>
    <name>cms::ui::UnsupportedReviewPanel</name>
    <message>
        <source>built-in composite</source>
        <translation>eingebautes Komposit</translation>
    </message>
    <message>
        <source>write a composite</source>
        <translation>ein Komposit schreiben</translation>
    </message>
    <message>
        <source>change the model</source>
        <translation>das Modell ändern</translation>
    </message>
    <message>
        <source>keep it outside the model</source>
        <translation>außerhalb des Modells belassen</translation>
    </message>
    <message>
        <source>Start from the Op&apos;s Te&amp;mplate</source>
        <translation>Mit der &amp;Vorlage der Operation beginnen</translation>
    </message>
    <message>
        <source>Save Composites and &amp;Try Again</source>
        <translation>Komposita speichern und &amp;erneut versuchen</translation>
    </message>
    <message>
        <source>Op or occurrence</source>
        <translation>Operation oder Vorkommen</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Wo</translation>
    </message>
    <message>
        <source>Input types</source>
        <translation>Eingabetypen</translation>
    </message>
    <message>
        <source>Unsupported ops</source>
        <translation>Nicht unterstützte Operationen</translation>
    </message>
    <message>
        <source>Explanation and next steps</source>
        <translation>Erklärung und nächste Schritte</translation>
    </message>
    <message>
        <source>Composite definition (checked as you type):</source>
        <translation>Kompositdefinition (wird beim Tippen geprüft):</translation>
    </message>
    <message>
        <source>Surveying the ops of %1 …</source>
        <translation>Operationen von %1 werden erfasst …</translation>
    </message>
    <message>
        <source>The ops could not be surveyed: %1</source>
        <translation>Die Operationen konnten nicht erfasst werden: %1</translation>
    </message>
    <message>
        <source>%1 ×%2</source>
        <translation>%1 ×%2</translation>
    </message>
    <message>
        <source>(top level)</source>
        <translation>(oberste Ebene)</translation>
    </message>
    <message>
        <source>Select this node in the graph</source>
        <translation>Diesen Knoten im Graphen auswählen</translation>
    </message>
    <message>
        <source>Every op of %1 converts.</source>
        <translation>Jede Operation von %1 lässt sich konvertieren.</translation>
    </message>
    <message numerus="yes">
        <source>%1 cannot be converted yet: %n op type(s), %2 occurrence(s). Choose an occurrence to see it in the graph.</source>
        <translation>
            <numerusform>%1 lässt sich noch nicht konvertieren: %n Operationstyp, %2 Vorkommen. Wählen Sie ein Vorkommen, um es im Graphen zu sehen.</numerusform>
            <numerusform>%1 lässt sich noch nicht konvertieren: %n Operationstypen, %2 Vorkommen. Wählen Sie ein Vorkommen, um es im Graphen zu sehen.</numerusform>
        </translation>
    </message>
    <message>
        <source>No unsupported ops have been reported. A conversion that meets one lists it here.</source>
        <translation>Es wurden keine nicht unterstützten Operationen gemeldet. Trifft eine Konvertierung auf eine, wird sie hier aufgeführt.</translation>
    </message>
    <message>
        <source>Next steps, best first</source>
        <translation>Nächste Schritte, der beste zuerst</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
</context>
</TS>
